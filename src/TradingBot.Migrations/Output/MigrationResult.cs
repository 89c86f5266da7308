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
/// <remarks>
/// Two faces (see <see cref="TypedMembers"/>): pwsh sees Version, Direction, Status, Duration and StartedAt typed; the
/// CLR properties, which ConvertTo-Json reads, hold them as text.
/// </remarks>
public sealed class MigrationResult(MigrationVersion version, MigrationDirection direction, MigrationResultStatus status)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    public string Direction => TypedDirection.ToString();

    public string Status => TypedStatus.ToString();

    /// <summary>00:00:00.0120000 (pwsh sees a TimeSpan).</summary>
    public string Duration => OutputText.Span(TypedDuration)!;

    /// <summary>ISO 8601 UTC (pwsh sees a DateTimeOffset).</summary>
    public string StartedAt => OutputText.Time(StartedAtUtc);

    public string? Path { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal MigrationDirection TypedDirection { get; } = direction;

    internal MigrationResultStatus TypedStatus { get; } = status;

    internal TimeSpan TypedDuration { get; init; }

    internal DateTime StartedAtUtc { get; init; }
}
