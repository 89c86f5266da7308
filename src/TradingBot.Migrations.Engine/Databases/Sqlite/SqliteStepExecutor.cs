using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Execution;
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

            RunScript(session, script, change, started, transaction, observer, cancellation);
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

    /// <summary>
    /// A transactional step's work in the caller's transaction (its own, or a savepoint of a shared one): the statements,
    /// the foreign keys SQLite would check at COMMIT, and the history change with the time since <paramref name="started"/>.
    /// </summary>
    internal static void RunScript(SqliteSession session, StepScript script, HistoryChange change, long started, SqliteTransaction transaction,
        IStatementObserver? observer, CancellationToken cancellation)
    {
        foreach (var statement in script.Statements)
        {
            cancellation.ThrowIfCancellationRequested();
            ExecuteStatement(session, script, statement, observer, cancellation);
        }

        ThrowIfDeferredForeignKeysBroken(session, script);
        session.History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), transaction, cancellation);
    }

    // Deferred foreign keys are checked at COMMIT, not when a savepoint is released: checked at the end of each step, a
    // violation fails the step that made it, with its file, as a commit of its own would have.
    private static void ThrowIfDeferredForeignKeysBroken(SqliteSession session, StepScript script)
    {
        if (SQLitePCL.raw.sqlite3_db_status(session.Connection.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_DEFERRED_FKS, out var broken, out _, 0) != SQLitePCL.raw.SQLITE_OK || broken == 0)
        {
            return;
        }

        var file = Path.GetFileName(script.FilePath);
        throw new MigrationException(MigrationErrors.MigrationFailed,
            $"{FailureAdvice.Subject(script.Version, script.Direction)} failed in {file}: FOREIGN KEY constraint failed (a deferred foreign key points at no row at its end). Its transaction was rolled back.")
        {
            Version = script.Version,
            FilePath = script.FilePath,
            RecommendedAction = $"Fix {file} so every foreign key holds at its end, then run the command again.",
        };
    }

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
