namespace TradingBot.Migrations;

public enum MigrationRepairAction
{
    /// <summary>Record a Failed (or Pending) migration as Applied, with the file's checksum; runs no script.</summary>
    MarkApplied,

    /// <summary>Delete a migration's history row, so it is Pending again; runs no down script.</summary>
    MarkRolledBack,

    /// <summary>Take the file's checksum into the history row of a Modified migration (after a cosmetic edit).</summary>
    UpdateChecksum,
}

/// <summary>One history row Repair-Migration changed. The same change is in the &lt;history&gt;_repairs table.</summary>
/// <remarks>Two faces (see <see cref="TypedMembers"/>): pwsh sees Version, Action and PreviousState typed; ConvertTo-Json, text.</remarks>
public sealed class MigrationRepairResult(MigrationVersion version, MigrationRepairAction action, MigrationState previousState)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    public string Action => TypedAction.ToString();

    public string PreviousState => TypedPreviousState.ToString();

    public string? PreviousChecksum { get; init; }

    public string? NewChecksum { get; init; }

    public required string RepairedBy { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal MigrationRepairAction TypedAction { get; } = action;

    internal MigrationState TypedPreviousState { get; } = previousState;
}
