using System.Diagnostics;
using Npgsql;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// Runs steps on a PostgreSQL session: a transactional step goes as one batch (<see cref="PostgresBatch"/>), or with
/// -Verbose statement by statement, timed; a <c>-- transaction: none</c> step runs statement by statement, recording
/// the statement it is at as Failed before it runs, so a killed run leaves a visible row.
/// </summary>
internal sealed class PostgresStepExecutor(PostgresSession session) : IStepExecutor
{
    private readonly PostgresBatch batch = new(session);

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public IStepPipeline Pipeline => batch;

    public bool RunInTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        if (!observer.WantsStatementTiming)
        {
            batch.RunInTransactions([new TransactionalStep(script, change)], static (_, _) => { }, cancellation);
            return true;
        }

        // Verbose: each statement on its own, timed, in one transaction (a round trip each).
        using var transaction = session.Connection.BeginTransaction();
        var started = Stopwatch.GetTimestamp();
        SetLocalTimeouts(script, transaction, cancellation);
        foreach (var statement in script.Statements)
        {
            ExecuteTimed(script, statement, observer, transaction, cancellation);
        }

        session.History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), transaction, cancellation);
        transaction.Commit();
        return true;
    }

    public void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        SetSessionTimeouts(script, cancellation);
        var started = Stopwatch.GetTimestamp();
        var attempts = 1;
        var explicitTransactions = 0;
        try
        {
            foreach (var statement in script.Statements)
            {
                // Recorded before the statement runs, so a run killed here leaves a visible Failed row naming it.
                MarkFailed(change, statement.Text);
                try
                {
                    attempts += ExecuteRetryingLockTimeout(script, statement, explicitTransactions, observer, cancellation);
                }
                catch (Exception e) when (e is MigrationException or OperationCanceledException)
                {
                    MarkFailed(change, statement.Text);
                    throw;
                }

                explicitTransactions = TransactionStatements.EffectOf(statement) switch
                {
                    TransactionEffect.Begins => explicitTransactions + 1,
                    TransactionEffect.Commits or TransactionEffect.RollsBack or TransactionEffect.PreparesForTwoPhaseCommit => Math.Max(0, explicitTransactions - 1),
                    _ => explicitTransactions,
                };
            }

            session.History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)).WithAttempts(attempts), null, CancellationToken.None, upsert: true);
        }
        finally
        {
            if (script.LockTimeout is not null || script.StatementTimeout is not null)
            {
                using var reset = session.Command("RESET lock_timeout; RESET statement_timeout");
                session.Run(reset, () => reset.ExecuteNonQuery(), CancellationToken.None);
            }
        }
    }

    // Outside a transaction only the statement that timed out runs again, and only when that is safe (LockRetry.SafeToRepeat).
    // Returns how many retries it took.
    private int ExecuteRetryingLockTimeout(StepScript script, SqlStatement statement, int explicitTransactions, IStatementObserver observer, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                ExecuteTimed(script, statement, observer, null, cancellation);
                return attempt - 1;
            }
            catch (MigrationException e) when (script.LockRetry is { } retry && retry.Allows(e, script.LockTimeout, attempt) && LockRetry.SafeToRepeat(statement, explicitTransactions))
            {
                var delay = LockRetry.Delay(attempt);
                observer.Retrying($"Migration {script.Version}, line {statement.Line}: {LockRetry.Describe(e, attempt, retry.Attempts, delay)}");
                LockRetry.Wait(delay, cancellation);
                cancellation.ThrowIfCancellationRequested();
            }
            catch (MigrationException e) when (e.LockNotAvailable && attempt > 1)
            {
                throw LockRetry.GaveUp(e, attempt);
            }
        }
    }

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation) =>
        new PostgresMigrationTransaction(session, session.Connection.BeginTransaction(), cancellation);

    private void ExecuteTimed(StepScript script, SqlStatement statement, IStatementObserver observer, NpgsqlTransaction? transaction, CancellationToken cancellation)
    {
        using var command = session.Command(statement.Text, transaction);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (cancellation.Register(static state => PostgresSession.CancelSafely(((NpgsqlCommand)state!).Cancel), command))
            {
                command.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is NpgsqlException or OperationCanceledException)
        {
            throw StatementFailure.Canceled(script, e);
        }
        catch (PostgresException e)
        {
            throw StatementFailure.Create(session.Target, script, statement, PostgresSession.Describe(e), e.Position, e);
        }
        catch (NpgsqlException e)
        {
            throw StatementFailure.Create(session.Target, script, statement, PostgresSession.Describe(e), null, e);
        }

        if (observer.WantsStatementTiming)
        {
            observer.StatementExecuted(statement, Stopwatch.GetElapsedTime(started));
        }
    }

    private void MarkFailed(HistoryChange change, string statement)
    {
        if (session.Connection.State != System.Data.ConnectionState.Open)
        {
            return; // The connection died with the statement; the history keeps its last committed truth.
        }

        session.History.MarkFailed(change, statement, null);
    }

    private void SetLocalTimeouts(StepScript script, NpgsqlTransaction transaction, CancellationToken cancellation) =>
        SetTimeouts(script, transaction, local: true, cancellation);

    private void SetSessionTimeouts(StepScript script, CancellationToken cancellation) =>
        SetTimeouts(script, null, local: false, cancellation);

    private void SetTimeouts(StepScript script, NpgsqlTransaction? transaction, bool local, CancellationToken cancellation)
    {
        foreach (var (setting, value) in Timeouts(script))
        {
            using var command = session.Command("SELECT set_config($1, $2, $3)", transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = setting });
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            command.Parameters.Add(new NpgsqlParameter { Value = local });
            session.Run(command, () => command.ExecuteNonQuery(), cancellation);
        }
    }

    internal static IEnumerable<(string Setting, string Value)> Timeouts(StepScript script)
    {
        if (script.LockTimeout is { } lockTimeout)
        {
            yield return ("lock_timeout", lockTimeout);
        }

        if (script.StatementTimeout is { } statementTimeout)
        {
            yield return ("statement_timeout", statementTimeout);
        }
    }
}
