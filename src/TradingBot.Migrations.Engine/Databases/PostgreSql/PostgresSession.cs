using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// PostgreSQL: transactional DDL; runs are serialised by a transaction-level advisory lock held on a second
/// connection for the run's life (<see cref="PostgresAdvisoryLock"/>: it holds through a transaction pooler, and
/// CREATE INDEX CONCURRENTLY does not wait on it); each step is a run of commands that opens its transaction, runs the script, writes its history row and
/// commits, and consecutive steps go in one batch: one round trip for them all.
/// </summary>
internal sealed class PostgresSession : IDatabaseSession, IHistoryConnection
{
    private readonly NpgsqlConnection connection;
    private bool userTypes;

    private PostgresSession(DatabaseTarget target, HistoryTableName historyTable, NpgsqlConnection connection)
    {
        Target = target;
        History = new HistoryStore(historyTable, PostgresHistoryDialect.Instance, this);
        Steps = new PostgresStepExecutor(this);
        this.connection = connection;
    }

    public DatabaseTarget Target { get; }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public HistoryStore History { get; }

    public IStepExecutor Steps { get; }

    public ISchemaInspector Schema => new PostgresSchemaInspector(this);

    public ISchemaReader SchemaReader => new PostgresSchemaReader(this);

    internal NpgsqlConnection Connection => connection;

    /// <summary>
    /// A run killed mid-statement (SIGKILL, a lost CI runner) leaves its backend running the statement, holding the
    /// migration's transaction until the statement ends. PostgreSQL 14+ can poll the client's socket during a query and
    /// abort when it is gone (behind PgBouncer too: it closes the server connection of a client that vanished
    /// mid-transaction), so each step sets client_connection_check_interval with its timeouts (<see cref="PostgresStepSettings"/>).
    /// </summary>
    internal bool WatchesForClientDeath { get; private init; }

    public static PostgresSession Open(DatabaseTarget target, HistoryTableName historyTable, bool userTypesNeeded, CancellationToken cancellation)
    {
        var connection = OpenConnection(target, userTypesNeeded);

        return new PostgresSession(target, historyTable, connection)
        {
            userTypes = userTypesNeeded,
            WatchesForClientDeath = connection.PostgreSqlVersion.Major >= 14,
        };
    }

    /// <summary>A second connection to the same database, for the run lock's transaction.</summary>
    internal NpgsqlConnection OpenAnotherConnection() => OpenConnection(Target, userTypes);

    private static NpgsqlConnection OpenConnection(DatabaseTarget target, bool userTypesNeeded)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return OpenConnection(target, PostgresDataSources.For(target.ConnectionString, userTypesNeeded));
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                // Another run in this process released the database's data source (its fleet target was done) after it was
                // taken here; the next For makes a new one.
            }
        }
    }

    private static NpgsqlConnection OpenConnection(DatabaseTarget target, NpgsqlDataSource dataSource)
    {
        var connection = dataSource.CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException or InvalidOperationException and not ObjectDisposedException)
        {
            connection.Dispose();
            var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
            throw new MigrationException(MigrationErrors.ConnectionFailed,
                target.Redact($"Cannot connect to PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}', user '{builder.Username}'): {Describe(e)}"), e)
            {
                RecommendedAction = "Check that the server is running and reachable, and the host, port, user, password and database.",
            };
        }
    }

    public IDisposable AcquireRunLock(TimeSpan timeout, CancellationToken cancellation) => PostgresAdvisoryLock.Acquire(this, timeout, cancellation);

    public bool RunInProgress(CancellationToken cancellation) => PostgresAdvisoryLock.IsHeld(this, cancellation);

    // The name comes from InvalidIndexes, quoted by format('%I.%I').
    public void DropInvalidIndex(string qualifiedName, CancellationToken cancellation)
    {
        using var command = Command(DropInvalidIndexStatement(qualifiedName));
        Run(command, () => command.ExecuteNonQuery(), cancellation);
    }

    public string DropInvalidIndexStatement(string qualifiedName) => $"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedName}";

    public void RepairHistory(HistoryRepair repair, CancellationToken cancellation)
    {
        using var transaction = connection.BeginTransaction();
        History.Repair(repair, transaction, cancellation);
        transaction.Commit();
    }

    public void WriteHistory(Action<DbTransaction> write, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var transaction = Run(static () => { }, () => connection.BeginTransaction(), cancellation);
        write(transaction);
        Run(static () => { }, () => { transaction.Commit(); return true; }, cancellation);
    }

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
            throw new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled.", e);
        }
        catch (NpgsqlException e)
        {
            throw new MigrationException(MigrationErrors.DatabaseError,
                Target.Redact($"PostgreSQL error on {Target.DisplayName}: {Describe(e)}"), e);
        }
    }

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

