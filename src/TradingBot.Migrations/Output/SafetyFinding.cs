namespace TradingBot.Migrations;

public enum SafetySeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One problem Test-MigrationSafety found in one script.</summary>
public sealed class SafetyFinding
{
    public required string Rule { get; init; }

    public required SafetySeverity Severity { get; init; }

    /// <summary>The migration; empty for findings about the live database as a whole.</summary>
    public MigrationVersion? Version { get; init; }

    public string? Name { get; init; }

    /// <summary>Up or Down; Live for findings about the database itself.</summary>
    public required string Script { get; init; }

    public string? File { get; init; }

    public int? Line { get; init; }

    public string? Statement { get; init; }

    public required string Message { get; init; }

    public required string Remedy { get; init; }

    public bool Suppressed { get; init; }

    public string? SuppressionReason { get; init; }
}

public enum RollbackKind
{
    Lossless,
    Lossy,
    Irreversible,
}

/// <summary>What running one migration's down would do to the data (Test-MigrationSafety -RollbackTo).</summary>
public sealed class RollbackAssessment
{
    public required MigrationVersion Version { get; init; }

    public required string Name { get; init; }

    public required RollbackKind Kind { get; init; }

    /// <summary>The tables, columns or rows that would be lost.</summary>
    public required string[] Losses { get; init; }

    public required SafetyFinding[] Findings { get; init; }
}
