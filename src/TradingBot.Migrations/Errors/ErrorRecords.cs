using System.Management.Automation;
using TradingBot.Migrations.Engine;

namespace TradingBot.Migrations.Errors;

/// <summary>Engine exceptions → ErrorRecords with a fitting category, a stable id and a recommended action.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(MigrationException error, object? target)
    {
        var record = new ErrorRecord(error, error.ErrorId, Category(error), target);
        if (error.RecommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction };
        }

        return record;
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new InvalidOperationException(message), errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }

        return record;
    }

    private static ErrorCategory Category(MigrationException error) => error.Kind switch
    {
        MigrationErrorKind.InvalidMigrationFile => ErrorCategory.InvalidData,
        MigrationErrorKind.InvalidArgument when error.ErrorId.StartsWith("Unknown", StringComparison.Ordinal) => ErrorCategory.ObjectNotFound,
        MigrationErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        MigrationErrorKind.InvalidTarget => ErrorCategory.InvalidArgument,
        MigrationErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
        MigrationErrorKind.PlanRefused when error.ErrorId.StartsWith("Unknown", StringComparison.Ordinal) => ErrorCategory.ObjectNotFound,
        MigrationErrorKind.PlanRefused => ErrorCategory.InvalidOperation,
        MigrationErrorKind.MigrationFailed => ErrorCategory.InvalidResult,
        MigrationErrorKind.LockTimeout => ErrorCategory.ResourceBusy,
        MigrationErrorKind.Canceled => ErrorCategory.OperationStopped,
        MigrationErrorKind.HistoryCorrupt => ErrorCategory.InvalidData,
        MigrationErrorKind.InvalidConfiguration => ErrorCategory.ParserError,
        _ => ErrorCategory.ResourceUnavailable,
    };
}
