using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Fleet;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine;

/// <summary>The status of every version, and the dialect it was read for (what has a down, which script is the up).</summary>
public sealed record StatusReport(SqlDialect Dialect, IReadOnlyList<MigrationStatusEntry> Entries);

/// <summary>A run that was not sent: its plan, and the SQL script the run would send (history statements included).</summary>
public sealed record RunPreview(MigrationPlan Plan, string Script)
{
    /// <summary>The invalid indexes the run would drop first (-DropInvalidIndexes), each with the migration that builds it again.</summary>
    public IReadOnlyList<InvalidIndexDrop> InvalidIndexDrops { get; init; } = [];
}

/// <summary>
/// The engine's front door: one entry per use case, for the cmdlets, tbm or any other host. Each entry opens what it needs
/// (the folder is read first, then one connection), does the one thing, and closes. Hosts bind their input, call one
/// entry, and write what it returns; everything behind it is internal.
/// </summary>
public static class MigrationUseCases
{
    /// <summary>One row per version from the folder and the history table. Only reads: creates no database and no table.</summary>
    public static StatusReport Status(EngineSettings settings, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        return new StatusReport(engine.Session.Dialect, engine.GetStatusWithRunsInProgress(cancellation));
    }

    /// <summary>
    /// Applies what <paramref name="options"/> select. <paramref name="observe"/> is called once the folder is read and the database
    /// connected, and gives the observer of the run; <paramref name="planned"/> sees the plan before anything runs (throw to stop).
    /// </summary>
    public static IReadOnlyList<StepResult> Migrate(EngineSettings settings, UpOptions options, Func<IMigrationObserver> observe,
        Action<MigrationPlan>? planned, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(observe);
        using var engine = MigrationEngine.Open(settings, cancellation);
        return engine.Migrate(options, observe(), planned, cancellation);
    }

    /// <summary>Rolls back what <paramref name="options"/> select, newest first; the callbacks as for <see cref="Migrate"/>.</summary>
    public static IReadOnlyList<StepResult> Undo(EngineSettings settings, DownOptions options, Func<IMigrationObserver> observe,
        Action<MigrationPlan>? planned, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(observe);
        using var engine = MigrationEngine.Open(settings, cancellation);
        return engine.Rollback(options, observe(), planned, cancellation);
    }

    /// <summary>
    /// What <see cref="Migrate"/> would do, as a plan and the script it would send; changes nothing. Refuses as the run would,
    /// invalid indexes included (or lists the ones -DropInvalidIndexes would drop).
    /// </summary>
    public static RunPreview PreviewMigrate(EngineSettings settings, UpOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        var plan = engine.PlanUp(options, cancellation);
        var drops = InvalidIndexCheck.Check(plan, engine.Session, options.DropInvalidIndexes, cancellation);
        return new RunPreview(plan, engine.RenderScript(plan, drops)) { InvalidIndexDrops = drops };
    }

    /// <summary>What <see cref="Undo"/> would do, as a plan and the script it would send; changes nothing.</summary>
    public static RunPreview PreviewUndo(EngineSettings settings, DownOptions options, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        var plan = engine.PlanDown(options, cancellation);
        return new RunPreview(plan, engine.RenderScript(plan));
    }

    /// <summary>What a repair would change, from the status alone; creates nothing, not even the history table.</summary>
    public static IReadOnlyList<RepairStep> PreviewRepair(EngineSettings settings, RepairAction action, MigrationVersion? version, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        return engine.PlanRepair(action, version, cancellation);
    }

    /// <summary>
    /// Under the run lock, makes each change of the repair that <paramref name="confirm"/> agrees to, with its audit row. Runs no
    /// migration script. Returns the changes made.
    /// </summary>
    public static IReadOnlyList<RepairStep> Repair(EngineSettings settings, RepairAction action, MigrationVersion? version,
        Func<RepairStep, bool> confirm, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(settings, cancellation);
        return engine.Repair(action, version, confirm, cancellation);
    }

    /// <summary>What an import from another tool would do (files, the other tool's table, history rows); changes nothing, creates nothing.</summary>
    public static ImportPlan PreviewImport(EngineSettings settings, ImportRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var session = DatabaseSessions.Open(ReadOnly(settings).Target, settings.HistoryTable, readOnly: true, userTypesNeeded: false, cancellation);
        return MigrationImporter.Plan(session, request, settings.MigrationsFolder, cancellation);
    }

    /// <summary>
    /// Under the run lock, plans the import on fresh history and, if <paramref name="confirm"/> agrees, makes it: writes the
    /// converted files, moves the other tool's table aside when its name is the history table's, records what it applied. Runs no
    /// migration script; a second import of the same history changes nothing. Returns the plan it carried out (or was refused).
    /// </summary>
    public static ImportPlan Import(EngineSettings settings, ImportRequest request, Func<ImportPlan, bool> confirm, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(confirm);
        using var session = DatabaseSessions.Open(settings.Target, settings.HistoryTable, readOnly: false, userTypesNeeded: false, cancellation);
        using var runLock = session.AcquireRunLock(settings.LockTimeout, cancellation);
        var plan = MigrationImporter.Plan(session, request, settings.MigrationsFolder, cancellation);
        if (plan.ChangesAnything && confirm(plan))
        {
            MigrationImporter.Execute(session, plan, settings.AppliedBy, DateTime.UtcNow, cancellation);
        }

        return plan;
    }

    /// <summary>What a baseline to <paramref name="version"/> would record, with each file labelled from the live schema; changes nothing.</summary>
    public static BaselinePlan PreviewBaseline(EngineSettings settings, MigrationVersion version, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        return BaselinePlanner.Plan(engine, settings, version, cancellation);
    }

    /// <summary>
    /// Under the run lock, labels every file from the live schema and records the migrations up to <paramref name="version"/> as
    /// applied (with an audit row each), running none of them; refuses when a label is Conflict unless <paramref name="force"/>,
    /// and records nothing unless <paramref name="confirm"/> agrees. Returns the plan and whether it was recorded.
    /// </summary>
    public static (BaselinePlan Plan, bool Recorded) Baseline(EngineSettings settings, MigrationVersion version, bool force, Func<BaselinePlan, bool> confirm,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(confirm);
        using var engine = MigrationEngine.Open(settings, cancellation);
        using var runLock = engine.Session.AcquireRunLock(settings.LockTimeout, cancellation);
        var plan = BaselinePlanner.Plan(engine, settings, version, cancellation);
        if (!force && plan.Conflicts.FirstOrDefault() is { } conflict)
        {
            throw new MigrationException(MigrationErrors.BaselineContradictsSchema,
                $"The live schema contradicts a baseline to {version}: " +
                string.Join("; ", plan.Conflicts.Select(c => $"migration {c.Version} ({c.Name}): {c.Evidence}")) + ". Nothing was recorded.")
            {
                Version = conflict.Version.Text,
            };
        }

        if (!plan.ToRecord.Any() || !confirm(plan))
        {
            return (plan, false);
        }

        BaselinePlanner.Record(engine.Session, plan, settings.AppliedBy, DateTime.UtcNow, cancellation);
        return (plan, true);
    }

    /// <summary>Whether <paramref name="action"/> can repair the version in <paramref name="entry"/> (for completion).</summary>
    public static bool CanRepair(RepairAction action, MigrationStatusEntry entry) => MigrationRepairPlanner.AppliesTo(action, entry);

    /// <summary>Lints migrations (and with a database checks the live schema), or assesses a rollback's downs.</summary>
    public static SafetyCheckResult CheckSafety(SafetyCheckRequest request, CancellationToken cancellation) =>
        SafetyCheck.Run(request, cancellation);

    /// <summary>Writes a new migration's files at <paramref name="version"/> (default: the next one); returns their paths.</summary>
    public static IReadOnlyList<string> Scaffold(string folder, string name, string? version, MigrationKind kind, DateTime utcNow) =>
        MigrationScaffolder.Create(folder, name, version, kind, utcNow);

    /// <summary>The versions the files in <paramref name="folder"/> name, without reading the files.</summary>
    public static IReadOnlyCollection<MigrationVersion> FileVersions(string folder) => MigrationScaffolder.ExistingVersions(folder);

    /// <summary>
    /// The target's schema in canonical form, read from its catalogs, without the history table and its repair log. Only
    /// reads, and needs no migrations folder: a SQLite file that does not exist is an empty schema, and is not created.
    /// </summary>
    public static SchemaSnapshot ExportSchema(EngineSettings settings, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SchemaReplay.Export(settings, cancellation);
    }

    /// <summary>
    /// The schema every migration of the folder makes, replayed into a scratch database of the target's kind (a new
    /// database on its server, or a temp file) that is dropped afterwards, also on failure and cancellation.
    /// </summary>
    public static SchemaSnapshot ReplaySchema(EngineSettings settings, CancellationToken cancellation) => SchemaReplay.Run(settings, null, cancellation);

    /// <summary>
    /// The committed schema file (reference) against a replay of every migration: whether the file is what the
    /// migrations make now, object by object and byte for byte.
    /// </summary>
    public static SchemaDrift CheckSchemaFile(EngineSettings settings, string schemaFile, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var committed = SchemaReplay.ReadFile(schemaFile, settings.Target.Dialect);
        var replayed = SchemaReplay.Run(settings, null, cancellation);
        return new SchemaDrift(schemaFile, "the migrations replayed", SchemaComparer.Compare(committed, replayed))
        {
            SameText = File.ReadAllText(schemaFile) == replayed.ToText(),
        };
    }

    /// <summary>
    /// The live database (difference) against the schema it should have (reference): the committed
    /// <paramref name="schemaFile"/> when given, else exactly its applied migrations replayed into a scratch database (not
    /// the pending ones between them); an applied migration without its files refuses (AppliedMigrationMissing), and a
    /// Modified or half-way Failed one is a note to warn about.
    /// </summary>
    public static SchemaDrift LiveDrift(EngineSettings settings, string? schemaFile, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var expected = schemaFile is not null
            ? new AppliedReplay(SchemaReplay.ReadFile(schemaFile, settings.Target.Dialect), schemaFile, [])
            : SchemaReplay.RunApplied(settings, Status(settings, cancellation).Entries, cancellation);
        var live = SchemaReplay.Export(settings, cancellation);
        return new SchemaDrift(expected.Description, settings.Target.DisplayName, SchemaComparer.Compare(expected.Schema, live)) { Notes = expected.Notes };
    }

    /// <summary>
    /// Every migration up, down and up again on a scratch database, in version order, comparing schemas:
    /// <paramref name="checkedOne"/> sees each result as it is known (for progress).
    /// </summary>
    public static IReadOnlyList<RoundTripResult> CheckRoundTrips(EngineSettings settings, Action<RoundTripResult>? checkedOne, CancellationToken cancellation) =>
        RoundTripCheck.Run(settings, checkedOne, cancellation);

    /// <summary>
    /// Writes a new SQL migration (the next version) whose up makes the reference's schema into the compared one's for the
    /// simple differences (indexes, columns, constraints, defaults) and whose down undoes it; the rest are REVIEW comments.
    /// Returns the files' paths.
    /// </summary>
    public static IReadOnlyList<string> ScaffoldFromDrift(SchemaDrift drift, SqlDialect dialect, string folder, string name, DateTime utcNow)
    {
        var (up, down) = DriftMigration.Write(drift, dialect);
        return MigrationScaffolder.Create(folder, name, null, MigrationKind.Sql, utcNow, up, down);
    }

    /// <summary>Two live databases of one kind, each read from its catalogs, the second compared with the first.</summary>
    public static SchemaDrift CompareDatabases(EngineSettings reference, EngineSettings difference, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(difference);
        if (reference.Target.Dialect != difference.Target.Dialect)
        {
            throw SchemaReplay.DialectMismatch(difference.Target.DisplayName, difference.Target.Dialect, reference.Target.Dialect);
        }

        return new SchemaDrift(reference.Target.DisplayName, difference.Target.DisplayName,
            SchemaComparer.Compare(SchemaReplay.Export(reference, cancellation), SchemaReplay.Export(difference, cancellation)));
    }

    /// Runs <paramref name="work"/> (one use case call per target) over <paramref name="targets"/> as <paramref name="options"/> say:
    /// throttled, canary wave first, stopping new targets after a failure unless told to go on. Returns once every started
    /// target has finished or stopped cleanly; Ctrl+C (<paramref name="cancellation"/>) stops them all.
    /// </summary>
    public static FleetReport<T> Fleet<T>(IReadOnlyList<DatabaseTarget> targets, FleetOptions options, Func<FleetTargetRun, T> work,
        IFleetObserver<T> observer, CancellationToken cancellation) => FleetRunner.Run(targets, options, work, observer, cancellation);

    /// <summary>The targets in their first order, each database once (by its redacted name): a list given twice runs each once.</summary>
    public static IReadOnlyList<DatabaseTarget> DistinctTargets(IEnumerable<DatabaseTarget> targets) =>
        targets.DistinctBy(t => t.DisplayName, StringComparer.Ordinal).ToList();

    private static EngineSettings ReadOnly(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ReadOnly ? settings : settings with { ReadOnly = true };
    }
}
