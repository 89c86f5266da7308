using System.Diagnostics;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// How every step executor runs a <c>-- transaction: none</c> script: statement by statement, its history row written Failed
/// naming each statement before that statement runs (autocommit), so a run killed at any point leaves a visible Failed row at
/// the statement in flight; written so again when the statement fails or is canceled; and the change itself (Applied, or the
/// row deleted) once the last statement succeeded.
/// </summary>
internal static class StatementByStatement
{
    /// <param name="execute">Runs one statement; returns how many lock-timeout retries it took.</param>
    /// <param name="canRecord">False when the connection died with the statement: the history then keeps its last committed truth.</param>
    public static void Run(HistoryStore history, StepScript script, HistoryChange change, Func<SqlStatement, int> execute, Func<bool> canRecord)
    {
        var started = Stopwatch.GetTimestamp();
        var attempts = 1;
        foreach (var statement in script.Statements)
        {
            MarkFailed(history, change, statement, canRecord);
            try
            {
                attempts += execute(statement);
            }
            catch (Exception e) when (e is MigrationException or OperationCanceledException)
            {
                MarkFailed(history, change, statement, canRecord);
                throw;
            }
        }

        // Not cancelable: every statement ran, and a cancel now would leave a Failed row for work that is done.
        history.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)).WithAttempts(attempts), null, CancellationToken.None, upsert: true);
    }

    private static void MarkFailed(HistoryStore history, HistoryChange change, SqlStatement statement, Func<bool> canRecord)
    {
        if (canRecord())
        {
            history.MarkFailed(change, statement.Text, null);
        }
    }
}
