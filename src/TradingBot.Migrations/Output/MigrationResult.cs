namespace TradingBot.Migrations;

public enum MigrationDirection
{
    Up,
    Down,
}

public enum MigrationResultStatus
{
    Succeeded,

    /// <summary>Another run applied (or rolled back) this migration first; this run did nothing.</summary>
    Skipped,
    Failed,
}

/// <summary>One migration that Invoke-Migration or Undo-Migration ran.</summary>
public sealed class MigrationResult
{
    public required MigrationVersion Version { get; init; }

    public required string Name { get; init; }

    public required MigrationDirection Direction { get; init; }

    public required MigrationResultStatus Status { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>UTC.</summary>
    public required DateTime StartedAt { get; init; }

    public string? Path { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }
}
