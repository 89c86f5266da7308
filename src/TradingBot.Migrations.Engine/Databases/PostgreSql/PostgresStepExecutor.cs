using System.Diagnostics;
using Npgsql;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;
using Settings = System.Collections.Generic.IReadOnlyList<(string Setting, string Value)>;

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
        using (var settings = new NpgsqlBatch(session.Connection, transaction))
        {
            AddAll(settings, PostgresStepSettings.Set(PostgresStepSettings.For(session, script)));
            if (settings.BatchCommands.Count > 0)
            {
                session.Run(settings.Cancel, () => settings.ExecuteNonQuery(), cancellation);
            }
        }

        foreach (var statement in script.Statements)
        {
            using var command = new NpgsqlBatch(session.Connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(statement.Text) } };
            ExecuteTimed(script, statement, observer, command, cancellation);
        }

        session.History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), transaction, cancellation);
        transaction.Commit();
        return true;
    }

    public void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        var settings = PostgresStepSettings.For(session, script);
        var explicitTransactions = 0;
        StatementByStatement.Run(session.History, script, change, statement =>
        {
            var retries = ExecuteRetryingLockTimeout(script, statement, settings, explicitTransactions, observer, cancellation);
            explicitTransactions = TransactionStatements.EffectOf(statement) switch
            {
                TransactionEffect.Begins => explicitTransactions + 1,
                TransactionEffect.Commits or TransactionEffect.RollsBack or TransactionEffect.PreparesForTwoPhaseCommit => Math.Max(0, explicitTransactions - 1),
                _ => explicitTransactions,
            };
            return retries;
        }, () => session.Connection.State == System.Data.ConnectionState.Open); // a connection that died with its statement records nothing
    }

    // Outside a transaction only the statement that timed out runs again, and only when that is safe (LockRetry.SafeToRepeat).
    // Returns how many retries it took.
    private int ExecuteRetryingLockTimeout(StepScript script, SqlStatement statement, Settings settings, int explicitTransactions, IStatementObserver observer, CancellationToken cancellation)
    {
        if (script.LockRetry is not { } retry)
        {
            ExecuteOutsideTransaction(script, statement, settings, explicitTransactions > 0, observer, cancellation);
            return 0;
        }

        return retry.Run(attempt =>
            {
                ExecuteOutsideTransaction(script, statement, settings, explicitTransactions > 0, observer, cancellation);
                return attempt - 1;
            },
            () => script.LockTimeout, () => LockRetry.SafeToRepeat(statement, explicitTransactions),
            () => $"Migration {script.Version}, line {statement.Line}", observer.Retrying, cancellation);
    }

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation)
    {
        var transaction = new PostgresMigrationTransaction(session, session.Connection.BeginTransaction(), cancellation);
        try
        {
            if (session.WatchesForClientDeath)
            {
                transaction.Execute("SELECT set_config('client_connection_check_interval', '1000', true)", null);
            }

            return transaction;
        }
        catch
        {
            transaction.Dispose();
            throw;
        }
    }

    // Outside a transaction a statement goes with its settings in one round trip, which is one transaction, so they end
    // with it and nothing stays on the server connection (see PostgresStepSettings). A statement that must start its
    // transaction gets them for the session in a transaction of their own, reset in the same round trip after it, past an
    // error barrier so that the reset runs even when the statement fails (see ExecuteWithSessionSettings). In the script's
    // own BEGIN block, set right after its BEGIN, they last until its end.
    private void ExecuteOutsideTransaction(StepScript script, SqlStatement statement, Settings settings, bool inScriptTransaction, IStatementObserver observer, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(session.Connection);
        if (settings.Count == 0 || inScriptTransaction)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        }
        else if (TransactionStatements.EffectOf(statement) == TransactionEffect.Begins)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
            AddAll(batch, PostgresStepSettings.Set(settings));
        }
        else if (PostgresStepSettings.MustStartItsTransaction(statement))
        {
            ExecuteWithSessionSettings(script, statement, settings, observer, cancellation);
            return;
        }
        else
        {
            AddAll(batch, PostgresStepSettings.Set(settings));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        }

        try
        {
            ExecuteTimed(script, statement, observer, batch, cancellation);
        }
        catch (MigrationException e) when (e.InnerException is PostgresException { SqlState: RefusesTransactionBlock } && settings.Count > 0 && !inScriptTransaction)
        {
            ExecuteWithSessionSettings(script, statement, settings, observer, cancellation);
        }
    }

    // "cannot run inside a transaction block", "cannot be executed within a pipeline" (PreventInTransactionBlock).
    private const string RefusesTransactionBlock = "25001";

    // The statement is followed by an error barrier (a Sync), so the server runs the RESETs after it whether it succeeded or
    // failed, on the same server connection: the whole round trip is one write, and a transaction pooler keeps a client on
    // its server connection until the last Sync it sent is answered (PgBouncer counts them). A reset sent after the failure,
    // in a round trip of its own, could land on another server connection and leave the settings on this one for the
    // pooler's other clients (PoolerTests.A_failed_concurrent_index_build_leaves_no_setting_on_any_pooled_server_connection).
    private void ExecuteWithSessionSettings(StepScript script, SqlStatement statement, Settings settings, IStatementObserver observer, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(session.Connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        AddAll(batch, PostgresStepSettings.Set(settings, local: false));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text) { AppendErrorBarrier = true });
        AddAll(batch, PostgresStepSettings.Reset(settings));
        ExecuteTimed(script, statement, observer, batch, cancellation);
    }

    private static void AddAll(NpgsqlBatch batch, IEnumerable<NpgsqlBatchCommand> commands)
    {
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
    }

    private void ExecuteTimed(StepScript script, SqlStatement statement, IStatementObserver observer, NpgsqlBatch command, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (cancellation.Register(static state => PostgresSession.CancelSafely(((NpgsqlBatch)state!).Cancel), command))
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
}
