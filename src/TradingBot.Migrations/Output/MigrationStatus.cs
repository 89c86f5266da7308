namespace TradingBot.Migrations;

public enum MigrationState
{
    Applied,
    Pending,
    Modified,
    Missing,
    Failed,
    Running,
}

/// <summary>One version, as Get-MigrationStatus reports it. Flat, redacted, pipeline-friendly.</summary>
/// <remarks>
/// Two faces (see <see cref="TypedMembers"/>): pwsh sees Version, State, AppliedAt and Duration typed; the CLR
/// properties, which ConvertTo-Json reads, hold them as text.
/// </remarks>
public sealed class MigrationStatus(MigrationVersion version, MigrationState state)
{
    /// <summary>The version's text, 1.0.10 (pwsh sees a <see cref="MigrationVersion"/>).</summary>
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    /// <summary>Applied, Pending, Modified, Missing, Failed or Running (pwsh sees a <see cref="MigrationState"/>).</summary>
    public string State => TypedState.ToString();

    /// <summary>Sql or PowerShell; empty when the files are missing.</summary>
    public string? Kind { get; init; }

    /// <summary>ISO 8601 UTC (pwsh sees a DateTimeOffset).</summary>
    public string? AppliedAt => OutputText.Time(AppliedAtUtc);

    public string? AppliedBy { get; init; }

    /// <summary>00:00:00.0120000 (pwsh sees a TimeSpan).</summary>
    public string? Duration => OutputText.Span(TypedDuration);

    /// <summary>The checksum of the file on disk (the up script used on this database).</summary>
    public string? Checksum { get; init; }

    /// <summary>The checksum recorded when the migration was applied.</summary>
    public string? AppliedChecksum { get; init; }

    /// <summary>Pending, but older than the newest applied migration.</summary>
    public bool OutOfOrder { get; init; }

    public bool HasDown { get; init; }

    /// <summary>The statement a Failed migration stopped at.</summary>
    public string? FailedStatement { get; init; }

    public string? Path { get; init; }

    public string? Environment { get; init; }

    /// <summary>Host/database or file; never a password.</summary>
    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal MigrationState TypedState { get; } = state;

    internal DateTime? AppliedAtUtc { get; init; }

    internal TimeSpan? TypedDuration { get; init; }
}
