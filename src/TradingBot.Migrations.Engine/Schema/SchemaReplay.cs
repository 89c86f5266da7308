using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>The schema a database's applied migrations make, what was replayed (for the user), and what to warn about.</summary>
public sealed record AppliedReplay(SchemaSnapshot Schema, string Description, IReadOnlyList<string> Notes);

/// <summary>
/// Applies the migrations to a scratch database of the target's kind (on its server, or a temp file), reads the schema
/// they make, and drops the scratch database: when done, on failure and on cancellation.
/// </summary>
internal static class SchemaReplay
{
    /// <summary>The schema the migrations up to <paramref name="upTo"/> (all when null) make on an empty database.</summary>
    public static SchemaSnapshot Run(EngineSettings settings, MigrationVersion? upTo, CancellationToken cancellation) =>
        Run(settings, upTo, [], cancellation);

    /// <summary>
    /// The schema the migrations a database has applied make (<paramref name="status"/> is its status): only those run, in
    /// version order; the others below the newest applied (not applied, or Failed half-way there) are recorded in the
    /// scratch database's history without running, as Repair-Migration -Action MarkApplied would. An applied migration
    /// whose files are gone (Missing) makes the replay impossible: that is an error, not a pass.
    /// </summary>
    public static AppliedReplay RunApplied(EngineSettings settings, IReadOnlyList<MigrationStatusEntry> status, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(status);
        var missing = status.Where(e => e.State == MigrationState.Missing).ToList();
        if (missing.Count > 0)
        {
            throw new MigrationException(MigrationErrors.AppliedMigrationMissing,
                $"The database has applied {Versions(missing)}, whose files are not in {settings.MigrationsFolder}: a replay of the migrations " +
                "cannot make the schema it has, so it is not compared.")
            {
                Version = missing[0].Version.Text,
                RecommendedAction = "Restore the migration's files (from version control), or compare with the committed schema file (-SchemaFile) or another database (-Reference/-Difference).",
            };
        }

        var notes = status.Where(e => e.State == MigrationState.Modified)
            .Select(e => $"Migration {e.Version} ({e.Name}) changed after it was applied: the replay runs the file as it is now.")
            .Concat(status.Where(e => e.State is MigrationState.Failed or MigrationState.Running)
                .Select(e => $"Migration {e.Version} ({e.Name}) stopped half-way on this database: the replay leaves it out, so what it did shows as extra."))
            .ToList();
        var applied = status.Where(e => e.State is MigrationState.Applied or MigrationState.Modified).Select(e => e.Version).ToList();
        if (applied.Count == 0)
        {
            return new AppliedReplay(new SchemaSnapshot(settings.Target.Dialect, []), "no migration applied", notes);
        }

        var newest = applied.Max()!;
        var skipped = status.Where(e => e.Migration is not null && e.Version < newest && !applied.Contains(e.Version)).ToList();
        var description = $"migrations up to {newest} replayed" + (skipped.Count == 0 ? string.Empty : $" without {Versions(skipped)} (not applied)");
        return new AppliedReplay(Run(settings, newest, skipped.Select(e => e.Version).ToList(), cancellation), description, notes);
    }

    private static SchemaSnapshot Run(EngineSettings settings, MigrationVersion? upTo, IReadOnlyList<MigrationVersion> skipped, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var scratch = DatabaseDialects.For(settings.Target.Dialect).CreateScratch(settings.Target, cancellation);
        var scratchSettings = settings with { Target = scratch.Target, ReadOnly = false };
        using (var engine = MigrationEngine.Open(scratchSettings, cancellation))
        {
            foreach (var version in skipped)
            {
                engine.Repair(RepairAction.MarkApplied, version, _ => true, cancellation);
            }

            engine.Migrate(new UpOptions(upTo, AllowModified: true, AllowOutOfOrder: true), NullMigrationObserver.Instance, null, cancellation);
        }

        var snapshot = Export(scratchSettings, cancellation);
        scratch.Drop();
        return snapshot;
    }

    private static string Versions(IEnumerable<MigrationStatusEntry> entries) => string.Join(", ", entries.Select(e => e.Version.Text));

    public static SchemaSnapshot Export(EngineSettings settings, CancellationToken cancellation)
    {
        using var session = DatabaseSessions.Open(settings.Target, settings.HistoryTable, readOnly: true, userTypesNeeded: false, cancellation);
        return session.SchemaReader.Read(settings.HistoryTable, cancellation);
    }

    /// <summary>A committed schema file, read back; it must be of <paramref name="dialect"/>.</summary>
    public static SchemaSnapshot ReadFile(string path, SqlDialect dialect)
    {
        if (!File.Exists(path))
        {
            throw new MigrationException(MigrationErrors.SchemaFileNotFound, $"The schema file {path} does not exist.")
            {
                FilePath = path,
                RecommendedAction = "Write it with Export-MigrationSchema -Replay -OutFile <path>, and commit it.",
            };
        }

        var snapshot = SchemaText.Parse(File.ReadAllText(path), path);
        return snapshot.Dialect == dialect ? snapshot : throw DialectMismatch(path, snapshot.Dialect, dialect);
    }

    public static MigrationException DialectMismatch(string what, SqlDialect found, SqlDialect expected) =>
        new(MigrationErrors.SchemaDialectMismatch,
            $"{what} is a {SchemaText.DialectName(found)} schema and the database is {SchemaText.DialectName(expected)}: only schemas of one kind of database compare.");
}
