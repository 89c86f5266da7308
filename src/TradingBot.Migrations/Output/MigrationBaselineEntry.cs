namespace TradingBot.Migrations;

/// <summary>
/// One migration file as Set-MigrationBaseline sees it: its label from the live schema (Baseline, Apply or Conflict), the evidence,
/// and whether the baseline recorded it as applied.
/// </summary>
public sealed class MigrationBaselineEntry(MigrationVersion version)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    /// <summary>Baseline (at or below the version, its objects are there), Apply (above it, not there yet) or Conflict.</summary>
    public required string Label { get; init; }

    /// <summary>The objects compared: which of the tables, columns and indexes it creates are in the database, or missing.</summary>
    public required string Evidence { get; init; }

    /// <summary>Whether this run recorded it as applied (false under -WhatIf, for files above the version, and for ones applied already).</summary>
    public bool Recorded { get; init; }

    public bool AlreadyApplied { get; init; }

    public string? Checksum { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;
}
