namespace TradingBot.Migrations;

/// <summary>The tools Import-MigrationHistory takes over from.</summary>
public enum MigrationSourceTool
{
    /// <summary>dbmate: schema_migrations(version), &lt;version&gt;_&lt;name&gt;.sql with -- migrate:up / -- migrate:down.</summary>
    Dbmate,

    /// <summary>golang-migrate: schema_migrations(version, dirty), &lt;version&gt;_&lt;title&gt;.up.sql / .down.sql.</summary>
    GolangMigrate,

    /// <summary>Flyway: flyway_schema_history, V&lt;version&gt;__&lt;description&gt;.sql and U undo files.</summary>
    Flyway,

    /// <summary>goose: goose_db_version, files with -- +goose Up / -- +goose Down.</summary>
    Goose,
}

/// <summary>
/// One migration Import-MigrationHistory took over: the files it was converted into, and what this module's history now says
/// of it. Files, History and State say what the import did (or, with -WhatIf, would do).
/// </summary>
public sealed class MigrationImportResult(MigrationVersion version)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    /// <summary>The tool it came from (dbmate, golang-migrate, Flyway, goose).</summary>
    public required string From { get; init; }

    public required string SourceFile { get; init; }

    /// <summary>The converted files in the migrations folder.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Written, or Unchanged (already there from an earlier import); under -WhatIf WouldWrite.</summary>
    public required string FileAction { get; init; }

    /// <summary>Recorded (the other tool applied it), AlreadyRecorded (this module's history had it), or NotApplied (stays Pending).</summary>
    public required string History { get; init; }

    /// <summary>What Get-MigrationStatus shows for it afterwards: Applied, Failed or Pending; under -WhatIf WouldBeApplied, WouldBeFailed or WouldBePending.</summary>
    public required string State { get; init; }

    /// <summary>When the other tool applied it (ISO 8601 UTC), where it records that; empty otherwise.</summary>
    public string? AppliedAt { get; init; }

    public string? Checksum { get; init; }

    /// <summary>Where the other tool's history table is after the import (moved aside when its name was this module's).</summary>
    public required string SourceTable { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;
}
