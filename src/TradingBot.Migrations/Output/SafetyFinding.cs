namespace TradingBot.Migrations;

public enum SafetySeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One problem Test-MigrationSafety found in one script.</summary>
/// <remarks>Two faces (see <see cref="TypedMembers"/>): pwsh sees Severity and Version typed; ConvertTo-Json, text.</remarks>
public sealed class SafetyFinding(SafetySeverity severity, MigrationVersion? version)
{
    public required string Rule { get; init; }

    /// <summary>Info, Warning or Error (pwsh sees a <see cref="SafetySeverity"/>).</summary>
    public string Severity => TypedSeverity.ToString();

    /// <summary>The migration; empty for findings about the live database as a whole.</summary>
    public string? Version => TypedVersion?.Text;

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

    /// <summary>The database checked (never a password); empty when only the files were linted.</summary>
    public string? Target { get; init; }

    /// <summary>With -Trace, for a finding about a lock or rewrite: Confirmed or Refuted by what the trace saw; null when not checked.</summary>
    public string? Trace { get; init; }

    /// <summary>With -Trace: about how long the application's traffic on the table would wait, from the live table's size (pwsh sees a TimeSpan).</summary>
    public string? EstimatedWait => OutputText.Span(TypedEstimatedWait);

    internal TimeSpan? TypedEstimatedWait { get; init; }

    internal SafetySeverity TypedSeverity { get; } = severity;

    internal MigrationVersion? TypedVersion { get; } = version;
}

public enum RollbackKind
{
    Lossless,
    Lossy,
    Irreversible,
    Unknown,
}

/// <summary>What running one migration's down would do to the data (Test-MigrationSafety -RollbackTo).</summary>
/// <remarks>Two faces (see <see cref="TypedMembers"/>): pwsh sees Version and Kind typed; ConvertTo-Json, text.</remarks>
public sealed class RollbackAssessment(MigrationVersion version, RollbackKind kind)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    /// <summary>Lossless, Lossy, Irreversible or Unknown (a PowerShell down that builds its SQL when it runs; pwsh sees a <see cref="RollbackKind"/>).</summary>
    public string Kind => TypedKind.ToString();

    /// <summary>The tables, columns or rows that would be lost.</summary>
    public required string[] Losses { get; init; }

    public required SafetyFinding[] Findings { get; init; }

    /// <summary>The database the rollback would run on (never a password).</summary>
    public string? Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal RollbackKind TypedKind { get; } = kind;
}
