using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Builds the error for a statement the database rejected: file, line, statement and the database's words.</summary>
internal static class StatementFailure
{
    private const string LockNotAvailableState = "55P03";

    public static MigrationException Create(DatabaseTarget target, StepScript script, SqlStatement statement, string databaseMessage, int? positionInStatement, Exception inner)
    {
        var line = statement.Line;
        if (positionInStatement is > 0)
        {
            var upTo = Math.Min(positionInStatement.Value - 1, statement.Text.Length);
            line += statement.Text.AsSpan(0, upTo).Count('\n');
        }

        var fileName = Path.GetFileName(script.FilePath);
        var message = target.Redact(
            $"{FailureAdvice.Subject(script.Version, script.Direction)} failed in {fileName} at line {line}: {databaseMessage}{Environment.NewLine}Statement: {Shorten(statement.Text)}");
        return new MigrationException(MigrationErrors.MigrationFailed, message, inner)
        {
            Version = script.Version,
            FilePath = script.FilePath,
            Line = line,
            Statement = statement.Text,
            RecommendedAction = FailureAdvice.NextStep(script.Version, fileName, line, script.Direction, script.InTransaction),
            LockNotAvailable = inner is System.Data.Common.DbException { SqlState: LockNotAvailableState },
        };
    }

    public static MigrationException Canceled(StepScript script, Exception inner) =>
        new(MigrationErrors.MigrationCanceled, $"Migration {script.Version} was canceled; its transaction was rolled back.", inner)
        {
            Version = script.Version,
            FilePath = script.FilePath,
        };

    private static string Shorten(string statement) =>
        statement.Length <= 400 ? statement : string.Concat(statement.AsSpan(0, 400), " ...");
}
