using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Planning;

/// <summary>
/// Every decision about what runs and what is refused, from the status alone. Pure: no I/O. Whether each planned
/// script can run (it has a statement; it does not end its own transaction) needs the script text:
/// <see cref="Execution.RunnableScripts"/> checks that after planning.
/// </summary>
internal static class MigrationPlanner
{
    public static MigrationPlan PlanUp(IReadOnlyList<MigrationStatusEntry> status, SqlDialect dialect, UpOptions options)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var target = options.TargetVersion;
        if (target is not null && !status.Any(s => s.Version == target && s.Migration is not null))
        {
            throw Refused(MigrationErrors.UnknownTargetVersion, $"There is no migration {target} in the migrations folder. Run Get-MigrationStatus to see the versions.");
        }

        var failed = status.FirstOrDefault(s => s.State == MigrationState.Failed);
        if (failed is not null)
        {
            throw Refused(MigrationErrors.FailedMigrationBlocks,
                $"Migration {failed.Version} ({failed.Name}) failed part-way and is recorded as Failed{(failed.Record?.FailedStatement is { } st ? $" at: {Shorten(st)}" : string.Empty)}. Nothing was run.",
                $"Finish or undo its changes by hand, then run Repair-Migration -Version {failed.Version} -Action MarkApplied (or MarkRolledBack).");
        }

        var modified = status.Where(s => s.State == MigrationState.Modified).ToList();
        if (modified.Count > 0)
        {
            if (!options.AllowModified)
            {
                throw Refused(MigrationErrors.ModifiedMigrationBlocks,
                    $"Applied migration(s) changed since they ran: {Describe(modified)}. Nothing was run.",
                    "Restore the original files, or if the edit is cosmetic run Repair-Migration -Action UpdateChecksum; -AllowModified runs anyway.");
            }

            warnings.Add($"Running although applied migration(s) changed since they ran: {Describe(modified)}.");
        }

        foreach (var missing in status.Where(s => s.State == MigrationState.Missing))
        {
            warnings.Add($"Migration {missing.Version} ({missing.Name}) is applied but its files are gone from the folder.");
        }

        var newestApplied = status.Where(s => s.IsApplied).Select(s => s.Version).DefaultIfEmpty().Max();
        if (target is not null && newestApplied is not null && target < newestApplied)
        {
            throw Refused(MigrationErrors.TargetBelowApplied,
                $"Version {target} is older than the newest applied migration {newestApplied}. Invoke-Migration only moves forward.",
                $"Use Undo-Migration -TargetVersion {target} to roll back.");
        }

        var pending = status.Where(s => s.State == MigrationState.Pending && (target is null || s.Version <= target)).ToList();
        var outOfOrder = pending.Where(s => s.IsOutOfOrder).ToList();
        if (outOfOrder.Count > 0)
        {
            if (!options.AllowOutOfOrder)
            {
                throw Refused(MigrationErrors.OutOfOrderMigrationBlocks,
                    $"Pending migration(s) older than the newest applied {newestApplied}: {Describe(outOfOrder)}. Nothing was run.",
                    "Give them versions after the newest applied one, or pass -AllowOutOfOrder if running them late is safe.");
            }

            warnings.Add($"Applying out of order: {Describe(outOfOrder)}.");
        }

        var steps = pending.Select(s => new PlannedStep(s.Migration!, MigrationDirection.Up, s.Migration!.UpFor(dialect)
            ?? throw Refused(MigrationErrors.NoScriptForDialect, $"Migration {s.Version} has no up script for {dialect} (it has only files for another database).",
                $"Add {s.Migration}.up.sql or {s.Migration}.up.{SqlDialectFileSuffix.Of(dialect)}.sql."))).ToList();
        return new MigrationPlan(MigrationDirection.Up, steps, status, warnings);
    }

    public static MigrationPlan PlanDown(IReadOnlyList<MigrationStatusEntry> status, SqlDialect dialect, DownOptions options)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(options);
        var applied = status.Where(s => s.IsApplied).OrderByDescending(s => s.Version).ToList();
        List<MigrationStatusEntry> range;
        if (options.Versions is { Count: > 0 } versions)
        {
            var unknown = versions.Where(v => !status.Any(s => s.Version == v)).ToList();
            if (unknown.Count > 0)
            {
                throw Refused(MigrationErrors.UnknownVersion, $"Unknown version(s) {string.Join(", ", unknown)}. Run Get-MigrationStatus to see the versions.");
            }

            // Undoing a set means undoing everything newer than its oldest member too: a rollback never leaves holes.
            var oldest = versions.Min()!;
            range = applied.Where(s => s.Version >= oldest).ToList();
        }
        else if (options.Count is { } count)
        {
            if (count < 1)
            {
                throw Refused(MigrationErrors.InvalidCount, $"-Count must be 1 or more (it was {count}).");
            }

            range = applied.Take(count).ToList();
        }
        else
        {
            var target = options.TargetVersion ?? throw Refused(MigrationErrors.NoRollbackTarget, "Say how far to roll back: -TargetVersion v (0 for everything) or -Count n.");
            var isZero = target == MigrationVersion.Parse("0");
            if (!isZero && !status.Any(s => s.Version == target))
            {
                throw Refused(MigrationErrors.UnknownTargetVersion, $"There is no migration {target}, applied or in the folder. Run Get-MigrationStatus to see the versions; -TargetVersion 0 rolls back everything.");
            }

            range = applied.Where(s => s.Version > target).ToList();
        }

        var failed = range.FirstOrDefault(s => s.State == MigrationState.Failed);
        if (failed is not null)
        {
            throw Refused(MigrationErrors.FailedMigrationBlocks, $"Migration {failed.Version} is recorded as Failed; its down may not match what was applied. Nothing was run.",
                $"Repair it first: Repair-Migration -Version {failed.Version} -Action MarkApplied or MarkRolledBack.");
        }

        var withoutDown = range.Where(s => s.Migration is null || !s.Migration.HasDown(dialect)).ToList();
        if (withoutDown.Count > 0)
        {
            throw Refused(MigrationErrors.MissingDownScript,
                $"Cannot roll back: no down script for {Describe(withoutDown)}. Nothing was run.",
                "Add the missing .down.sql files (or a Down block), or roll back to a later version.");
        }

        var warnings = new List<string>();
        var modified = range.Where(s => s.State == MigrationState.Modified).ToList();
        if (modified.Count > 0)
        {
            if (!options.AllowModified)
            {
                throw Refused(MigrationErrors.ModifiedMigrationBlocks,
                    $"Migration(s) changed since they were applied: {Describe(modified)}; their downs may not undo what ran. Nothing was run.",
                    "Restore the original files, or pass -AllowModified.");
            }

            warnings.Add($"Rolling back migration(s) changed since they were applied: {Describe(modified)}.");
        }

        var steps = range.Select(s => new PlannedStep(s.Migration!, MigrationDirection.Down, s.Migration!.DownFor(dialect)!)).ToList();
        return new MigrationPlan(MigrationDirection.Down, steps, status, warnings);
    }

    private static string Describe(IEnumerable<MigrationStatusEntry> entries) =>
        string.Join(", ", entries.Select(e => $"{e.Version} ({e.Name})"));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + " ...";

    private static MigrationException Refused(MigrationError error, string message, string? action = null) =>
        new(error, message) { RecommendedAction = action };
}
