using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// PostgreSQL: transactional DDL; runs are serialised by a session-level advisory lock held on the
/// run's one connection (no transaction stays open, so CREATE INDEX CONCURRENTLY does not wait on
/// it); each step is a run of commands that opens its transaction, runs the script, writes its history row and
/// commits, and consecutive steps go in one batch: one round trip for them all.
/// </summary>
internal sealed class PostgresSession : IDatabaseSession, IStepPipeline, IHistoryConnection
{
    private readonly NpgsqlConnection connection;
    private bool watchForClientDeath;

    private PostgresSession(DatabaseTarget target, HistoryTableName historyTable, NpgsqlConnection connection)
    {
        Target = target;
        History = new HistoryStore(historyTable, PostgresHistoryDialect.Instance, this);
        this.connection = connection;
    }

    public DatabaseTarget Target { get; }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public HistoryStore History { get; }

    public ISchemaInspector Schema => new PostgresSchemaInspector(this);

    internal NpgsqlConnection Connection => connection;

    public static PostgresSession Open(DatabaseTarget target, HistoryTableName historyTable, bool userTypesNeeded, CancellationToken cancellation)
    {
        var connection = DataSourceFor(target.ConnectionString, userTypesNeeded).CreateConnection();
        try
        {
            connection.Open();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException or InvalidOperationException)
        {
            connection.Dispose();
            var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
            throw new MigrationException(MigrationErrorKind.ConnectionFailed, "ConnectionFailed",
                target.Redact($"Cannot connect to PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}', user '{builder.Username}'): {Describe(e)}"), e)
            {
                RecommendedAction = "Check that the server is running and reachable, and the host, port, user, password and database.",
            };
        }

        // A run killed mid-statement (SIGKILL, a lost CI runner) leaves its backend running the statement, holding the
        // transaction and the advisory lock until the statement ends. PostgreSQL 14+ can poll the client's socket during
        // a query and abort when it is gone: the kill then rolls back at once. Set with the run lock's first attempt.
        return new PostgresSession(target, historyTable, connection) { watchForClientDeath = connection.PostgreSqlVersion.Major >= 14 };
    }

    // One data source per connection string for the process, as Npgsql keeps one for each string it is given, so a
    // pwsh session's runs reuse pooled connections. Npgsql reads the server's whole type catalog when a data source
    // first connects (40 to 50 ms of a cold start here, most of it the server's); the engine's own queries and the
    // results of SQL scripts, which it skips, need only the built-in types Npgsql knows without it, so it is read only
    // for folders with PowerShell migrations, which can query enums, domains and extension types.
    private static readonly ConcurrentDictionary<(string ConnectionString, bool UserTypes), NpgsqlDataSource> DataSources = new();

    private static NpgsqlDataSource DataSourceFor(string connectionString, bool userTypesNeeded) =>
        DataSources.GetOrAdd((connectionString, userTypesNeeded), static key =>
        {
            var builder = new NpgsqlDataSourceBuilder(key.ConnectionString);
            if (!key.UserTypes)
            {
                builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
            }

            return builder.Build();
        });

    /// <summary>Closes the idle pooled connections the engine keeps for this connection string (tests drop databases).</summary>
    internal static void ClearPools(string connectionString)
    {
        foreach (var (key, source) in DataSources)
        {
            if (key.ConnectionString == connectionString)
            {
                source.Clear();
            }
        }
    }

    /// <summary>
    /// Sends a run-lock query (<paramref name="query"/> with the key as $1, answering a boolean). The run's first one also
    /// carries the setting that makes the server notice a dead client, which saves it a round trip of its own at open;
    /// only runs that take the lock run migrations.
    /// </summary>
    internal bool RunLockQuery(string query, long key, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(connection);
        if (watchForClientDeath)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET client_connection_check_interval = 1000"));
        }

        var command = new NpgsqlBatchCommand(query);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        batch.BatchCommands.Add(command);
        try
        {
            var result = Run(batch.Cancel, () => (bool)batch.ExecuteScalar()!, cancellation);
            watchForClientDeath = false;
            return result;
        }
        catch (MigrationException e) when (watchForClientDeath && !cancellation.IsCancellationRequested &&
                                           e.InnerException is PostgresException setting && FailedCommandIndex(batch, setting) == 0)
        {
            Trace.TraceInformation("client_connection_check_interval not set: {0}", setting.MessageText);
            watchForClientDeath = false;
            return RunLockQuery(query, key, cancellation);
        }
    }

    public IDisposable AcquireRunLock(TimeSpan timeout, CancellationToken cancellation) =>
        PostgresAdvisoryLock.Acquire(this, timeout, cancellation);

    public bool RunInTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        if (!observer.WantsStatementTiming)
        {
            RunInTransactions([new TransactionalStep(script, change)], static (_, _) => { }, cancellation);
            return true;
        }

        // Verbose: each statement on its own, timed, in one transaction (a round trip each).
        using var transaction = connection.BeginTransaction();
        var started = Stopwatch.GetTimestamp();
        SetLocalTimeouts(script, transaction, cancellation);
        foreach (var statement in script.Statements)
        {
            ExecuteTimed(script, statement, observer, transaction, cancellation);
        }

        History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), transaction, cancellation);
        transaction.Commit();
        return true;
    }

    public void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        SetSessionTimeouts(script, cancellation);
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var statement in script.Statements)
            {
                // Recorded before the statement runs, so a run killed here leaves a visible Failed row naming it.
                MarkFailed(change, statement.Text);
                try
                {
                    ExecuteTimed(script, statement, observer, null, cancellation);
                }
                catch (Exception e) when (e is MigrationException or OperationCanceledException)
                {
                    MarkFailed(change, statement.Text);
                    throw;
                }
            }

            History.Write(change.WithElapsed(Stopwatch.GetElapsedTime(started)), null, CancellationToken.None, upsert: true);
        }
        finally
        {
            if (script.LockTimeout is not null || script.StatementTimeout is not null)
            {
                using var reset = Command("RESET lock_timeout; RESET statement_timeout");
                Run(reset, () => reset.ExecuteNonQuery(), CancellationToken.None);
            }
        }
    }

    public void RepairHistory(HistoryRepair repair, CancellationToken cancellation)
    {
        using var transaction = connection.BeginTransaction();
        History.Repair(repair, transaction, cancellation);
        transaction.Commit();
    }

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation) =>
        new PostgresMigrationTransaction(this, connection.BeginTransaction(), cancellation);

    public void Dispose() => connection.Dispose();

    internal NpgsqlCommand Command(string sql, NpgsqlTransaction? transaction = null) => new(sql, connection, transaction);

    DbCommand IHistoryConnection.CreateCommand(string sql, DbTransaction? transaction) => Command(sql, (NpgsqlTransaction?)transaction);

    T IHistoryConnection.Run<T>(DbCommand command, Func<T> action, CancellationToken cancellation) => Run(command.Cancel, action, cancellation);

    internal T Run<T>(NpgsqlCommand command, Func<T> action, CancellationToken cancellation) => Run(command.Cancel, action, cancellation);

    internal T Run<T>(Action cancel, Func<T> action, CancellationToken cancellation)
    {
        try
        {
            using (cancellation.Register(static state => CancelSafely((Action)state!), cancel))
            {
                return action();
            }
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is NpgsqlException or OperationCanceledException)
        {
            throw new MigrationException(MigrationErrorKind.Canceled, "OperationCanceled", "The operation was canceled.", e);
        }
        catch (NpgsqlException e)
        {
            throw new MigrationException(e.IsTransient ? MigrationErrorKind.ConnectionFailed : MigrationErrorKind.ResourceUnavailable, "DatabaseError",
                Target.Redact($"PostgreSQL error on {Target.DisplayName}: {Describe(e)}"), e);
        }
    }

    // One round trip for all the steps: each step is BEGIN, its timeouts, its statements, its history change and COMMIT,
    // and the batch ends in one Sync, so on an error the server skips everything after it (that step's COMMIT and the
    // later steps) and the failed step's transaction is left aborted for RollBackFailedStep. The explicit BEGIN (not the
    // implicit transaction of a batch) makes CREATE INDEX CONCURRENTLY, VACUUM and the like fail with "cannot run inside
    // a transaction block" on every server version; before PostgreSQL 14 an implicit batch transaction lets them run.
    // A step committed when its COMMIT completed; the history change returns the server's timing of the step.
    public void RunInTransactions(IReadOnlyList<TransactionalStep> steps, Action<int, ServerTiming?> committed, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(connection);
        var layout = new List<StepCommands>(steps.Count);
        for (var k = 0; k < steps.Count; k++)
        {
            var (script, change) = steps[k];
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            AddLocalTimeouts(script, batch);
            var firstStatement = batch.BatchCommands.Count;
            foreach (var statement in script.Statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
            }

            var historyChange = History.CommandFor(change, timedByServer: true);
            var history = new NpgsqlBatchCommand(historyChange.Sql + ServerTimingReturned);
            History.Bind(history.Parameters, static () => new NpgsqlParameter(), historyChange);
            batch.BatchCommands.Add(history);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            layout.Add(new StepCommands(firstStatement, batch.BatchCommands.Count - 1));
        }

        var timings = new ServerTiming?[steps.Count];
        try
        {
            try
            {
                using (new RepeatingCancel(batch.Cancel, cancellation))
                {
                    ReadTimings(batch, layout, timings);
                }
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                RollBackFailedStep();
                throw;
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            var failed = ReportCommitted(batch, layout, timings, committed);
            if (failed == steps.Count)
            {
                return; // every COMMIT completed before the error: the next use of the connection reports it
            }

            throw StepFailure(steps, failed, layout[failed], batch, e, cancellation);
        }

        ReportCommitted(batch, layout, timings, committed);
    }

    // The history change with RETURNING: when the step's transaction began and how long it has run, by the server's clock.
    private const string ServerTimingReturned = " RETURNING now(), extract(epoch from clock_timestamp() - now())::float8";

    private readonly record struct StepCommands(int FirstStatement, int Commit)
    {
        public int History => Commit - 1;
    }

    // Scripts answer rows too (SELECT, RETURNING), so which command a result belongs to is told by what completed: the
    // reader stands on the first command whose CommandComplete it has not read yet.
    private static void ReadTimings(NpgsqlBatch batch, List<StepCommands> layout, ServerTiming?[] timings)
    {
        using var reader = batch.ExecuteReader();
        var current = 0;
        var step = 0;
        do
        {
            while (current < batch.BatchCommands.Count && batch.BatchCommands[current].StatementType != StatementType.Unknown)
            {
                current++;
            }

            while (step < layout.Count && layout[step].History < current)
            {
                step++;
            }

            if (step < layout.Count && layout[step].History == current && reader.Read())
            {
                timings[step] = new ServerTiming(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), TimeSpan.FromSeconds(reader.GetDouble(1)));
            }
        }
        while (reader.NextResult());
    }

    // Tells the caller about each step whose COMMIT completed (Npgsql sets a command's StatementType from the
    // CommandComplete it reads), in order; returns how many did.
    private static int ReportCommitted(NpgsqlBatch batch, List<StepCommands> layout, ServerTiming?[] timings, Action<int, ServerTiming?> committed)
    {
        var count = 0;
        while (count < layout.Count && batch.BatchCommands[layout[count].Commit].StatementType != StatementType.Unknown)
        {
            committed(count, timings[count]);
            count++;
        }

        return count;
    }

    private MigrationException StepFailure(IReadOnlyList<TransactionalStep> steps, int failed, StepCommands commands, NpgsqlBatch batch, Exception e, CancellationToken cancellation)
    {
        var script = steps[failed].Script;
        if (cancellation.IsCancellationRequested)
        {
            return StatementFailure.Canceled(script, e);
        }

        if (e is PostgresException pg && FailedCommandIndex(batch, pg) is var index &&
            index >= commands.FirstStatement && index < commands.FirstStatement + script.Statements.Count)
        {
            return StatementFailure.Create(Target, script, script.Statements[index - commands.FirstStatement], Describe(pg), pg.Position, pg);
        }

        var lost = e is NpgsqlException npgsql ? ConnectionLost(npgsql) : string.Empty;
        var unanswered = lost.Length > 0 && failed < steps.Count - 1
            ? $"It was sent together with {steps[failed + 1].Script.Version}..{steps[^1].Script.Version}, whose answers never came: the history table says which of them committed. "
            : string.Empty;
        return new MigrationException(MigrationErrorKind.MigrationFailed, "MigrationFailed",
            Target.Redact($"Migration {script.Version} ({Path.GetFileName(script.FilePath)}) failed: {lost}{Describe(e)} {unanswered}".TrimEnd()), e)
        { Version = script.Version, FilePath = script.FilePath };
    }

    // A failed step leaves the server in an aborted transaction (or, when COMMIT itself failed, in none): ROLLBACK
    // ends it either way (with only a warning when there is none), so the connection can release the run lock and
    // go back to the pool clean. A connection that broke needs nothing: the server rolled back when it went.
    private void RollBackFailedStep()
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var rollback = Command("ROLLBACK");
            rollback.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            Trace.TraceInformation("rollback after a failed step failed: {0}", e.Message);
        }
    }

    // Npgsql does not reliably set PostgresException.BatchCommand (null with Npgsql 10 on a plain failing statement), so fall
    // back to the first command the server never completed: Npgsql sets StatementType from each CommandComplete it reads.
    private static int FailedCommandIndex(NpgsqlBatch batch, PostgresException e)
    {
        if (e.BatchCommand is { } failed && batch.BatchCommands.IndexOf(failed) is var index and >= 0)
        {
            return index;
        }

        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                return i;
            }
        }

        return -1;
    }

    private void ExecuteTimed(StepScript script, SqlStatement statement, IStatementObserver observer, NpgsqlTransaction? transaction, CancellationToken cancellation)
    {
        using var command = Command(statement.Text, transaction);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (cancellation.Register(static state => CancelSafely(((NpgsqlCommand)state!).Cancel), command))
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
            throw StatementFailure.Create(Target, script, statement, Describe(e), e.Position, e);
        }
        catch (NpgsqlException e)
        {
            throw StatementFailure.Create(Target, script, statement, Describe(e), null, e);
        }

        if (observer.WantsStatementTiming)
        {
            observer.StatementExecuted(statement, Stopwatch.GetElapsedTime(started));
        }
    }

    private void MarkFailed(HistoryChange change, string statement)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return; // The connection died with the statement; the history keeps its last committed truth.
        }

        History.MarkFailed(change, statement, null);
    }

    private static void AddLocalTimeouts(StepScript script, NpgsqlBatch batch)
    {
        foreach (var (setting, value) in Timeouts(script))
        {
            var command = new NpgsqlBatchCommand("SELECT set_config($1, $2, true)");
            command.Parameters.Add(new NpgsqlParameter { Value = setting });
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            batch.BatchCommands.Add(command);
        }
    }

    private void SetLocalTimeouts(StepScript script, NpgsqlTransaction transaction, CancellationToken cancellation) =>
        SetTimeouts(script, transaction, local: true, cancellation);

    private void SetSessionTimeouts(StepScript script, CancellationToken cancellation) =>
        SetTimeouts(script, null, local: false, cancellation);

    private void SetTimeouts(StepScript script, NpgsqlTransaction? transaction, bool local, CancellationToken cancellation)
    {
        foreach (var (setting, value) in Timeouts(script))
        {
            using var command = Command("SELECT set_config($1, $2, $3)", transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = setting });
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            command.Parameters.Add(new NpgsqlParameter { Value = local });
            Run(command, () => command.ExecuteNonQuery(), cancellation);
        }
    }

    private static IEnumerable<(string Setting, string Value)> Timeouts(StepScript script)
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

    // A server that stopped or a network that dropped surfaces as a stream error; say what it means.
    private string ConnectionLost(NpgsqlException e) =>
        e is not PostgresException && ((connection.FullState & System.Data.ConnectionState.Broken) != 0 || connection.State != System.Data.ConnectionState.Open)
            ? $"the connection to {Target.DisplayName} was lost in the middle of it, so the server rolled its transaction back; check the server, then run Get-MigrationStatus and Invoke-Migration again. Driver: "
            : string.Empty;

    internal static string Describe(Exception e) => e switch
    {
        // Npgsql redacts details unless asked ("Include Error Detail"); a redaction notice helps no one.
        PostgresException pg => string.IsNullOrEmpty(pg.Detail) || pg.Detail.StartsWith("Detail redacted", StringComparison.Ordinal)
            ? $"{pg.SqlState}: {pg.MessageText}" : $"{pg.SqlState}: {pg.MessageText} ({pg.Detail})",
        _ when e.InnerException is { } inner && e.Message.StartsWith("Exception while", StringComparison.Ordinal) => $"{e.Message} {inner.Message}",
        _ => e.Message,
    };

    // Npgsql cancels a command in flight by sending PostgreSQL a cancel request on a new socket.
    internal static void CancelSafely(Action cancel)
    {
        try
        {
            cancel();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or SocketException)
        {
            Trace.TraceInformation("cancel request failed: {0}", e.Message);
        }
    }
}

