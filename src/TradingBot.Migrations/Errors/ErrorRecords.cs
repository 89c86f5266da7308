using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Errors;

/// <summary>Errors → ErrorRecords with the id, category and recommended action their <see cref="ErrorCatalogue"/> entry fixes.</summary>
internal static class ErrorRecords
{
    /// <summary>An engine error; a recommended action the raise site gave (naming the version, file or line) wins over the entry's.</summary>
    public static ErrorRecord From(MigrationException error, object? target)
    {
        var entry = ErrorCatalogue.For(error.Error);
        return WithAction(new ErrorRecord(error, entry.Id, entry.Category, target), error.Message, error.RecommendedAction ?? entry.RecommendedAction);
    }

    /// <summary>One of the cmdlets' own errors.</summary>
    public static ErrorRecord Create(ErrorEntry entry, string message, object? target) =>
        WithAction(new ErrorRecord(new InvalidOperationException(message), entry.Id, entry.Category, target), message, entry.RecommendedAction);

    /// <summary>One failed target of a fleet: the engine's id and category, the message prefixed with the target (never its password).</summary>
    public static ErrorRecord ForTarget(DatabaseTarget target, Exception error)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(error);
        var message = $"{target.DisplayName}: {target.Redact(error.Message)}";
        if (error is MigrationException migrationError)
        {
            var entry = ErrorCatalogue.For(migrationError.Error);
            return WithAction(new ErrorRecord(migrationError, entry.Id, entry.Category, target.DisplayName), message,
                migrationError.RecommendedAction ?? entry.RecommendedAction);
        }

        return new ErrorRecord(error, error.GetType().Name, ErrorCategory.NotSpecified, target.DisplayName) { ErrorDetails = new ErrorDetails(message) };
    }

    private static ErrorRecord WithAction(ErrorRecord record, string message, string recommendedAction)
    {
        if (recommendedAction.Length > 0)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }

        return record;
    }
}
