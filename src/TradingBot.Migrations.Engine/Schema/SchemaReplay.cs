using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// Applies the migrations to a scratch database of the target's kind (on its server, or a temp file), reads the schema
/// they make, and drops the scratch database: when done, on failure and on cancellation.
/// </summary>
internal static class SchemaReplay
{
    /// <summary>The schema the migrations up to <paramref name="upTo"/> (all when null) make on an empty database.</summary>
    public static SchemaSnapshot Run(EngineSettings settings, MigrationVersion? upTo, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var scratch = DatabaseDialects.For(settings.Target.Dialect).CreateScratch(settings.Target, cancellation);
        var scratchSettings = settings with { Target = scratch.Target, ReadOnly = false };
        using (var engine = MigrationEngine.Open(scratchSettings, cancellation))
        {
            engine.Migrate(new UpOptions(upTo, AllowModified: true, AllowOutOfOrder: true), NullMigrationObserver.Instance, null, cancellation);
        }

        var snapshot = Export(scratchSettings, cancellation);
        scratch.Drop();
        return snapshot;
    }

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
