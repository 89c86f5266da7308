using System.Data.Common;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// SQLite: DDL is transactional; runs are serialised by a lock on a file beside the database (<see cref="SqliteRunLock"/>),
/// and each step also re-reads its history row inside its own write transaction (BEGIN IMMEDIATE).
/// </summary>
internal sealed class SqliteSession : IDatabaseSession, IHistoryConnection
{
    private const int SqliteBusy = 5;

    private readonly SqliteConnection connection;

    // Microsoft.Data.Sqlite wants every command inside a transaction to name it.
    private SqliteTransaction? currentTransaction;

    private SqliteSession(DatabaseTarget target, HistoryTableName historyTable, SqliteConnection connection)
    {
        Target = target;
        Steps = new SqliteStepExecutor(this);
        History = new HistoryStore(historyTable.Schema is null ? historyTable : new HistoryTableName(historyTable.Table), SqliteHistoryDialect.Instance, this);
        this.connection = connection;
    }

    public DatabaseTarget Target { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public HistoryStore History { get; }

    public IStepExecutor Steps { get; }

    internal SqliteConnection Connection => connection;

    public ISchemaInspector Schema => new SqliteSchemaInspector(this);

    public ISchemaReader SchemaReader => new SqliteSchemaReader(this);

    public static SqliteSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly)
    {
        var connection = new SqliteConnection(readOnly ? ReadOnlyConnectionString(target) : target.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new MigrationException(MigrationErrors.SqliteOpenFailed,
                $"Cannot open the SQLite database '{target.DisplayName}': {e.Message}", e);
        }

        // SQLite quietly opens a file it cannot write read-only; say so before a run tries to write.
        if (!readOnly && SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            connection.Dispose();
            throw new MigrationException(MigrationErrors.SqliteDatabaseReadOnly,
                $"The SQLite database '{target.DisplayName}' cannot be written (a read-only file, folder or file system). Nothing was changed.")
            {
                RecommendedAction = "Make the file and its folder writable, or run Get-MigrationStatus to only read it.",
            };
        }

        return new SqliteSession(target, historyTable, connection);
    }

    // A read-only look at a file that does not exist yet must not create it: an empty in-memory database answers the same.
    private static string ReadOnlyConnectionString(DatabaseTarget target)
    {
        var builder = new SqliteConnectionStringBuilder(target.ConnectionString);
        if (File.Exists(builder.DataSource))
        {
            builder.Mode = SqliteOpenMode.ReadOnly;
        }
        else
        {
            builder.DataSource = ":memory:";
        }

        return builder.ConnectionString;
    }

    // The run holds SqliteRunLock throughout; every step also takes SQLite's write lock (BEGIN IMMEDIATE) and re-reads
    // its history row, so a run of an older version, which takes no run lock, still never applies a step twice.
    public IDisposable AcquireRunLock(TimeSpan timeout, CancellationToken cancellation)
    {
        connection.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        return DatabaseFile is { } file ? SqliteRunLock.Acquire(Target.DisplayName, file, timeout, cancellation) : NoLock.Instance;
    }

    /// <summary>The database's file, or null for an in-memory database (one connection: nothing to serialise).</summary>
    private string? DatabaseFile => string.IsNullOrEmpty(connection.DataSource) ? null : connection.DataSource;

    public bool RunInProgress(CancellationToken cancellation) => DatabaseFile is { } file && SqliteRunLock.IsHeld(file);

    // SQLite has no invalid indexes (InvalidIndexes is always empty), so nothing ever asks.
    public void DropInvalidIndex(string qualifiedName, CancellationToken cancellation) =>
        throw new NotSupportedException("SQLite has no invalid indexes.");

    public string DropInvalidIndexStatement(string qualifiedName) => throw new NotSupportedException("SQLite has no invalid indexes.");

    public void RepairHistory(HistoryRepair repair, CancellationToken cancellation)
    {
        using var transaction = BeginWrite();
        try
        {
            History.Repair(repair, transaction, cancellation);
            transaction.Commit();
        }
        finally
        {
            EndWrite();
        }
    }

    public void WriteHistory(Action<DbTransaction> write, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var transaction = BeginWrite();
        try
        {
            write(transaction);
            transaction.Commit();
        }
        finally
        {
            EndWrite();
        }
    }

    public void Dispose() => connection.Dispose();

    /// <summary>The rows of a catalog query (parameters @p0, @p1, ...), a SQLite failure as the engine's error.</summary>
    internal List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params object[] parameters)
    {
        using var command = Command(sql);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue("@p" + i, parameters[i]);
        }

        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (SqliteException e)
        {
            throw new MigrationException(MigrationErrors.SqliteError, $"SQLite error on '{Target.DisplayName}': {e.Message}", e);
        }
    }

    internal SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = currentTransaction;
        return command;
    }

    DbCommand IHistoryConnection.CreateCommand(string sql, DbTransaction? transaction)
    {
        var command = Command(sql);
        command.Transaction = (SqliteTransaction?)transaction ?? currentTransaction;
        return command;
    }

    T IHistoryConnection.Run<T>(DbCommand command, Func<T> action, CancellationToken cancellation) => Run(action);

    internal SqliteTransaction BeginWrite()
    {
        var transaction = Run(() => connection.BeginTransaction(deferred: false));
        currentTransaction = transaction;
        return transaction;
    }

    internal void EndWrite() => currentTransaction = null;

    private T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteBusy)
        {
            // The write lock is SQLite's run lock (see AcquireRunLock): waiting out the busy timeout is a lock timeout.
            throw new MigrationException(MigrationErrors.MigrationLockTimeout,
                $"Another connection is writing to the SQLite database '{Target.DisplayName}'; gave up waiting for its write lock after {connection.DefaultTimeout} s. " +
                "What needed the lock was not run; migrations applied earlier in this run stay applied.", e)
            {
                RecommendedAction = "Wait for the other run to finish, or raise -LockTimeout.",
            };
        }
        catch (SqliteException e)
        {
            throw new MigrationException(MigrationErrors.SqliteError,
                $"SQLite error on '{Target.DisplayName}': {e.Message}", e);
        }
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
