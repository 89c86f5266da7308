using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// Runs steps on a SQLite session: each transactional step takes SQLite's write lock (BEGIN IMMEDIATE) and re-reads
/// its history row inside it, so two runs never both apply it; Ctrl+C interrupts the statement in flight.
/// </summary>
internal sealed class SqliteStepExecutor(SqliteSession session) : IStepExecutor
{
    public SqlDialect Dialect => SqlDialect.Sqlite;

    public IStepPipeline? Pipeline { get; } = new SqliteBatch(session);

    public bool RunInTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        using var transaction = session.BeginWrite();
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (session.History.AlreadyDone(change, transaction))
            {
                transaction.Rollback();
                return false;
            }

            foreach (var statement in script.Statements)
            {
                cancellation.ThrowIfCancellationRequested();
                ExecuteStatement(session, script, statement, observer, cancellation);
            }

            SqliteBatch.ThrowIfDeferredForeignKeysBroken(session, script);
            session.History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), transaction, cancellation);
            transaction.Commit();
            return true;
        }
        finally
        {
            session.EndWrite();
        }
    }

    public void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation) =>
        StatementByStatement.Run(session.History, script, change, statement =>
        {
            cancellation.ThrowIfCancellationRequested();
            ExecuteStatement(session, script, statement, observer, cancellation);
            return 0;
        }, static () => true);

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation) =>
        new SqliteMigrationTransaction(session, session.BeginWrite(), cancellation);

    internal static void ExecuteStatement(SqliteSession session, StepScript script, SqlStatement statement, IStatementObserver? observer, CancellationToken cancellation)
    {
        using var command = session.Command(statement.Text);
        var started = Stopwatch.GetTimestamp();
        using (cancellation.Register(() => SQLitePCL.raw.sqlite3_interrupt(session.Connection.Handle)))
        {
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (cancellation.IsCancellationRequested)
            {
                throw StatementFailure.Canceled(script, e);
            }
            catch (SqliteException e)
            {
                throw StatementFailure.Create(session.Target, script, statement, e.Message, null, e);
            }
        }

        if (observer is { WantsStatementTiming: true })
        {
            observer.StatementExecuted(statement, Stopwatch.GetElapsedTime(started));
        }
    }
}
