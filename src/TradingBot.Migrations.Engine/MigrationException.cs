namespace TradingBot.Migrations.Engine;

/// <summary>What went wrong, in words a script can match on; each id in <see cref="MigrationErrors"/> has one.</summary>
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
/// Every failure the engine reports on purpose, as one entry of <see cref="MigrationErrors"/> (its id is stable across
/// releases); the migration, file, line and statement are set where they are known.
/// </summary>
public class MigrationException : Exception
{
    public MigrationException(MigrationError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public MigrationError Error { get; }

    public MigrationErrorKind Kind => Error.Kind;

    public string ErrorId => Error.Id;

    public string? Version { get; init; }

    public string? FilePath { get; init; }

    public int? Line { get; init; }

    public string? Statement { get; init; }

    public string? RecommendedAction { get; init; }

    /// <summary>The database refused a lock within lock_timeout (PostgreSQL's lock_not_available, SQLSTATE 55P03).</summary>
    public bool LockNotAvailable { get; init; }
}
