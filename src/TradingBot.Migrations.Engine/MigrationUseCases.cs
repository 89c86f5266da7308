using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine;

/// <summary>The status of every version, and the dialect it was read for (what has a down, which script is the up).</summary>
public sealed record StatusReport(SqlDialect Dialect, IReadOnlyList<MigrationStatusEntry> Entries);

/// <summary>A run that was not sent: its plan, and the SQL script the run would send (history statements included).</summary>
public sealed record RunPreview(MigrationPlan Plan, string Script);

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

    /// <summary>What <see cref="Migrate"/> would do, as a plan and the script it would send; changes nothing.</summary>
    public static RunPreview PreviewMigrate(EngineSettings settings, UpOptions options, CancellationToken cancellation)
    {
        using var engine = MigrationEngine.Open(ReadOnly(settings), cancellation);
        var plan = engine.PlanUp(options, cancellation);
        return new RunPreview(plan, engine.RenderScript(plan));
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

    private static EngineSettings ReadOnly(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ReadOnly ? settings : settings with { ReadOnly = true };
    }
}
