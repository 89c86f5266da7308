using System.Text;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine;

/// <summary>Everything one run needs: where the files are, where the database is, and how to behave.</summary>
public sealed record EngineSettings(DatabaseTarget Target, string MigrationsFolder)
{
    public HistoryTableName HistoryTable { get; init; } = new();

    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>PostgreSQL lock_timeout for migrations without a `-- lock_timeout:` directive (the environment's default).</summary>
    public string? DefaultLockTimeout { get; init; }

    /// <summary>PostgreSQL statement_timeout for migrations without a `-- statement_timeout:` directive.</summary>
    public string? DefaultStatementTimeout { get; init; }

    /// <summary>How many times a migration stopped by its PostgreSQL lock_timeout is tried again (0: never).</summary>
    public int LockRetries { get; init; }

    public IPowerShellScriptInspector? PowerShellInspector { get; init; }

    public IPowerShellMigrationRunner? PowerShellRunner { get; init; }

    /// <summary>Status and previews: never create the database, the history table or anything else.</summary>
    public bool ReadOnly { get; init; }

    public string AppliedBy { get; init; } = $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>The history table a command names, else the configuration file's, else schema_migrations (in the search path's first schema).</summary>
    public EngineSettings WithHistoryTable(string? table, string? schema, ProjectConfiguration? configuration) => this with
    {
        HistoryTable = new HistoryTableName(table ?? configuration?.HistoryTable ?? HistoryTableName.DefaultTable, schema ?? configuration?.HistorySchema),
    };
}

/// <summary>
/// One run: the catalog scanned once, one connection, the history read once. Every use case of the front door
/// (<see cref="MigrationUseCases"/>) that touches a database goes through here: status, plan, migrate, roll back, repair.
/// </summary>
internal sealed class MigrationEngine : IDisposable
{
    private readonly EngineSettings settings;
    private IReadOnlyList<HistoryRecord>? history;
    private bool historyTableSeen;

    private MigrationEngine(EngineSettings settings, MigrationCatalog catalog, IDatabaseSession session)
    {
        this.settings = settings;
        Catalog = catalog;
        Session = session;
    }

    public MigrationCatalog Catalog { get; }

    public IDatabaseSession Session { get; }

    public DatabaseTarget Target => settings.Target;

    /// <summary>Reads the folder first (bad files fail before any connection), then connects.</summary>
    public static MigrationEngine Open(EngineSettings settings, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var catalog = MigrationCatalog.Load(settings.MigrationsFolder, settings.PowerShellInspector);
        var userTypesNeeded = catalog.Migrations.Any(m => m.Kind == MigrationKind.PowerShell);
        var session = DatabaseSessions.Open(settings.Target, settings.HistoryTable, settings.ReadOnly, userTypesNeeded, cancellation);
        return new MigrationEngine(settings, catalog, session);
    }

    public IReadOnlyList<MigrationStatusEntry> GetStatus(CancellationToken cancellation) =>
        MigrationStatusCalculator.Compute(Catalog, ReadHistoryOnce(cancellation), Session.Dialect);

    /// <summary>
    /// The status as Get-MigrationStatus shows it: a Failed row is Running while a run holds the run lock (a
    /// non-transactional migration writes its row as Failed before each statement), and Failed once no run is alive.
    /// </summary>
    public IReadOnlyList<MigrationStatusEntry> GetStatusWithRunsInProgress(CancellationToken cancellation)
    {
        var status = GetStatus(cancellation);
        return status.Any(s => s.State == MigrationState.Failed) && Session.RunInProgress(cancellation)
            ? status.Select(s => s.State == MigrationState.Failed ? s with { State = MigrationState.Running } : s).ToList()
            : status;
    }

    public MigrationPlan PlanUp(UpOptions options, CancellationToken cancellation) =>
        RunnableScripts.Checked(MigrationPlanner.PlanUp(GetStatus(cancellation), Session.Dialect, options), Session.Dialect);

    public MigrationPlan PlanDown(DownOptions options, CancellationToken cancellation) =>
        RunnableScripts.Checked(MigrationPlanner.PlanDown(GetStatus(cancellation), Session.Dialect, options), Session.Dialect);

    /// <summary>
    /// Returns at once when the history already holds everything there is to apply; otherwise takes the run lock,
    /// creates the history table if needed, then plans on fresh history and applies.
    /// </summary>
    public IReadOnlyList<StepResult> Migrate(UpOptions options, IMigrationObserver observer, Action<MigrationPlan>? planned, CancellationToken cancellation)
    {
        RefuseWhenReadOnly();
        if (NothingToDo(() => PlanUp(options, cancellation), historyTableNeeded: true, cancellation) is { } idle)
        {
            planned?.Invoke(idle);
            return [];
        }

        using var runLock = Session.AcquireRunLock(settings.LockTimeout, cancellation);
        Session.History.Ensure(cancellation);
        history = Session.History.Read(cancellation);
        var plan = PlanUp(options, cancellation);
        planned?.Invoke(plan);
        InvalidIndexCheck.Apply(plan, Session, options.DropInvalidIndexes, cancellation);
        try
        {
            return new Migrator(Session.Steps, settings.PowerShellRunner, settings.AppliedBy, Timeouts, Retry).Execute(plan, observer, cancellation);
        }
        catch (MigrationException e) when (e.Kind == MigrationErrorKind.MigrationFailed && AppliedByAnotherRun(plan, e, cancellation) is { } other)
        {
            throw new MigrationException(MigrationErrors.MigrationAppliedByAnotherRun,
                $"Migration {other.Version} was applied by another run ({other.AppliedBy}, at {other.AppliedAtUtc:u}) while this run was applying it; this run's attempt was rolled back, so the migration is applied once. ({e.Message})", e)
            {
                Version = other.Version,
                FilePath = e.FilePath,
                RecommendedAction = "Nothing to fix in the migration: run Invoke-Migration again to apply what is still pending, and keep two runs from sharing a database without the run lock (see docs/reliability.md).",
            };
        }
    }

    // A transactional step that failed because another run committed it meanwhile (its DDL then fails with "already
    // exists") is a lost race, not a broken migration. Only a transactional step: its attempt rolled back whole.
    private HistoryRecord? AppliedByAnotherRun(MigrationPlan plan, MigrationException failure, CancellationToken cancellation)
    {
        if (failure.Version is not { } version || plan.Direction != MigrationDirection.Up ||
            !plan.Steps.Any(s => s.Migration.Version.Text == version && s.RunsInTransaction))
        {
            return null;
        }

        try
        {
            history = null;
            return Session.History.Read(cancellation).FirstOrDefault(r => r.Version == version && r.State == HistoryState.Applied);
        }
        catch (MigrationException)
        {
            return null;
        }
    }

    public IReadOnlyList<StepResult> Rollback(DownOptions options, IMigrationObserver observer, Action<MigrationPlan>? planned, CancellationToken cancellation)
    {
        RefuseWhenReadOnly();
        if (NothingToDo(() => PlanDown(options, cancellation), historyTableNeeded: false, cancellation) is { } idle)
        {
            planned?.Invoke(idle);
            return [];
        }

        using var runLock = Session.AcquireRunLock(settings.LockTimeout, cancellation);
        history = historyTableSeen ? Session.History.Read(cancellation) : null;
        var plan = PlanDown(options, cancellation);
        planned?.Invoke(plan);
        return new Migrator(Session.Steps, settings.PowerShellRunner, settings.AppliedBy, Timeouts, Retry).Execute(plan, observer, cancellation);
    }

    /// <summary>What a repair would change, from the status alone (for -WhatIf).</summary>
    public IReadOnlyList<RepairStep> PlanRepair(RepairAction action, MigrationVersion? version, CancellationToken cancellation) =>
        MigrationRepairPlanner.Plan(GetStatus(cancellation), Session.Dialect, action, version);

    /// <summary>
    /// Takes the run lock, plans the repair on fresh history, and makes each change <paramref name="confirm"/>
    /// agrees to, with its audit row. Runs no migration script. Returns the changes made.
    /// </summary>
    public IReadOnlyList<RepairStep> Repair(RepairAction action, MigrationVersion? version, Func<RepairStep, bool> confirm, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(confirm);
        RefuseWhenReadOnly();
        using var runLock = Session.AcquireRunLock(settings.LockTimeout, cancellation);
        Session.History.Ensure(cancellation);
        history = null;
        var done = new List<RepairStep>();
        foreach (var step in PlanRepair(action, version, cancellation))
        {
            if (confirm(step))
            {
                Session.RepairHistory(new HistoryRepair(step.Version, step.Name, step.Action.ToString(), step.PreviousState.ToString(),
                    step.PreviousChecksum, step.NewChecksum, settings.AppliedBy), cancellation);
                done.Add(step);
            }
        }

        history = null;
        return done;
    }

    /// <summary>
    /// The plan as one SQL script, history statements included, for review or for a DBA to run: the plan runs through
    /// a recording executor, so the script is what a run would send, with the sending replaced by writing.
    /// </summary>
    public string RenderScript(MigrationPlan plan, IReadOnlyList<InvalidIndexDrop>? drops = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var recorder = new RecordingStepExecutor(Session.Dialect, Session.History);
        recorder.Comment($"{(plan.Direction == MigrationDirection.Up ? "Apply" : "Roll back")} {plan.Steps.Count} migration(s) on {Target.DisplayName}");
        if (plan.Direction == MigrationDirection.Up)
        {
            recorder.HistoryTableCreation();
        }

        foreach (var drop in drops ?? [])
        {
            recorder.Statement($"-DropInvalidIndexes: {drop.Index} is INVALID (an earlier CREATE INDEX CONCURRENTLY of it failed); migration {drop.Version} builds it again.",
                Session.DropInvalidIndexStatement(drop.Index));
        }

        new Migrator(recorder, PowerShellNotRun.Instance, settings.AppliedBy, Timeouts).Execute(plan, NullMigrationObserver.Instance, CancellationToken.None);
        return recorder.Script;
    }

    public void Dispose() => Session.Dispose();

    private StepTimeouts Timeouts => new(settings.DefaultLockTimeout, settings.DefaultStatementTimeout);

    private LockRetry? Retry => settings.LockRetries > 0 ? new LockRetry(settings.LockRetries) : null;

    private void RefuseWhenReadOnly()
    {
        if (settings.ReadOnly)
        {
            throw new InvalidOperationException("This engine was opened read-only.");
        }
    }

    // A run with nothing to do needs no run lock: one read of the history is a consistent view of what committed steps
    // left, and a run that applies nothing cannot apply anything twice. Anything else (steps to run, a Failed or still
    // running non-transactional migration, a history table to create, a refusal) is decided again under the lock, on
    // a fresh read. Returns the empty plan, or null to take the locked path.
    private MigrationPlan? NothingToDo(Func<MigrationPlan> plan, bool historyTableNeeded, CancellationToken cancellation)
    {
        try
        {
            var exists = historyTableSeen = Session.History.Exists(cancellation);
            if (!exists && historyTableNeeded)
            {
                return null;
            }

            history = exists ? Session.History.Read(cancellation) : [];
        }
        catch (MigrationException e) when (e.Kind == MigrationErrorKind.LockTimeout)
        {
            // SQLite: another run's long statement keeps readers out; wait for the run lock and read under it instead.
            historyTableSeen = false; // read again, table check included, under the lock
            history = null;
            return null;
        }

        try
        {
            var idle = plan();
            if (idle.Steps.Count == 0 && !idle.Status.Any(s => s.State == MigrationState.Failed))
            {
                return idle;
            }
        }
        catch (MigrationException e) when (e.Kind is MigrationErrorKind.PlanRefused or MigrationErrorKind.InvalidMigrationFile)
        {
            // Decided again under the lock.
        }

        history = null;
        return null;
    }

    private IReadOnlyList<HistoryRecord> ReadHistoryOnce(CancellationToken cancellation) =>
        history ??= Session.History.Exists(cancellation) ? Session.History.Read(cancellation) : [];
}
