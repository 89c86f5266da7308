namespace TradingBot.Migrations;

public enum MigrationState
{
    Applied,
    Pending,
    Modified,
    Missing,
    Failed,
}

/// <summary>One version, as Get-MigrationStatus reports it. Flat, redacted, pipeline-friendly.</summary>
public sealed class MigrationStatus
{
    public required MigrationVersion Version { get; init; }

    public required string Name { get; init; }

    public required MigrationState State { get; init; }

    /// <summary>Sql or PowerShell; empty when the files are missing.</summary>
    public string? Kind { get; init; }

    /// <summary>UTC.</summary>
    public DateTime? AppliedAt { get; init; }

    public string? AppliedBy { get; init; }

    public TimeSpan? Duration { get; init; }

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
}
