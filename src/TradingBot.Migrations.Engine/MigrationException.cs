namespace TradingBot.Migrations.Engine;

/// <summary>What went wrong, in words a script can match on; the cmdlets map each onto an ErrorCategory.</summary>
public enum MigrationErrorKind
{
    InvalidMigrationFile,
    InvalidArgument,
    InvalidTarget,
    ConnectionFailed,
    PlanRefused,
    MigrationFailed,
    LockTimeout,
    Canceled,
    HistoryCorrupt,
    ResourceUnavailable,
    InvalidConfiguration,
}

/// <summary>
/// Every failure the engine reports on purpose. <see cref="ErrorId"/> is stable across releases;
/// the migration, file, line and statement are set where they are known.
/// </summary>
public class MigrationException : Exception
{
    public MigrationException(MigrationErrorKind kind, string errorId, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
    }

    public MigrationErrorKind Kind { get; }

    public string ErrorId { get; }

    public string? Version { get; init; }

    public string? FilePath { get; init; }

    public int? Line { get; init; }

    public string? Statement { get; init; }

    public string? RecommendedAction { get; init; }
}
