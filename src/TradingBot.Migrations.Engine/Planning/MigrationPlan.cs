using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Planning;

public enum MigrationDirection
{
    Up,
    Down,
}

/// <summary>One script to run, in one direction.</summary>
public sealed record PlannedStep(Migration Migration, MigrationDirection Direction, ScriptFile Script)
{
    public bool RunsInTransaction => Migration.Kind == MigrationKind.PowerShell || Script.Directives.RunsInTransaction;
}

/// <summary>The ordered steps to reach a target, decided before anything touches the database.</summary>
public sealed record MigrationPlan(
    MigrationDirection Direction,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<MigrationStatusEntry> Status,
    IReadOnlyList<string> Warnings);

/// <summary>What to apply; <paramref name="DropInvalidIndexes"/> drops an invalid index a pending migration builds again.</summary>
public sealed record UpOptions(MigrationVersion? TargetVersion = null, bool AllowModified = false, bool AllowOutOfOrder = false, bool DropInvalidIndexes = false);

/// <summary>Roll back to <paramref name="TargetVersion"/> (0 = everything), or the newest <paramref name="Count"/>, or a chosen set of versions.</summary>
public sealed record DownOptions(MigrationVersion? TargetVersion = null, int? Count = null, IReadOnlyCollection<MigrationVersion>? Versions = null, bool AllowModified = false);
