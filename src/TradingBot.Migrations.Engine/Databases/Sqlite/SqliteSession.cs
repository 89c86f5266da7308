using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// SQLite: DDL is transactional, and BEGIN IMMEDIATE serialises writers, so each step re-reads its
/// history row inside its own write transaction instead of holding a lock for the whole run.
/// </summary>
internal sealed class SqliteSession : IDatabaseSession
{
    private const int SqliteBusy = 5;

    private readonly SqliteConnection connection;

    // Microsoft.Data.Sqlite wants every command inside a transaction to name it.
    private SqliteTransaction? currentTransaction;

    private SqliteSession(DatabaseTarget target, HistoryTableName historyTable, SqliteConnection connection)
    {
        Target = target;
        HistoryTable = historyTable.Schema is null ? historyTable : new HistoryTableName(historyTable.Table);
        this.connection = connection;
    }

    public DatabaseTarget Target { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public HistoryTableName HistoryTable { get; }

    public ISchemaInspector Schema => new SqliteSchemaInspector(this);

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
            throw new MigrationException(MigrationErrorKind.ConnectionFailed, "SqliteOpenFailed",
                $"Cannot open the SQLite database '{target.DisplayName}': {e.Message}", e);
        }

        // SQLite quietly opens a file it cannot write read-only; say so before a run tries to write.
        if (!readOnly && SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            connection.Dispose();
            throw new MigrationException(MigrationErrorKind.ResourceUnavailable, "SqliteDatabaseReadOnly",
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

    public bool HistoryTableExists(CancellationToken cancellation)
    {
        using var command = Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @name");
        command.Parameters.AddWithValue("@name", HistoryTable.Table);
        return Run(() => command.ExecuteScalar()) is not null;
    }

    public void EnsureHistoryTable(CancellationToken cancellation)
    {
        using var command = Command(DescribeHistoryTableCreation());
        Run(() => command.ExecuteNonQuery());
    }

    public string DescribeHistoryTableCreation() =>
        $"""
        CREATE TABLE IF NOT EXISTS {HistoryTable.Quoted} (
            version TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            execution_ms INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'Applied',
            failed_statement TEXT
        )
        """;

    public IReadOnlyList<HistoryRecord> ReadHistory(CancellationToken cancellation)
    {
        using var command = Command(
            $"SELECT version, name, checksum, applied_at, applied_by, execution_ms, state, failed_statement FROM {HistoryTable.Quoted}");
        return Run(() =>
        {
            var records = new List<HistoryRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(new HistoryRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    DateTime.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    reader.GetString(4),
                    reader.GetInt64(5),
                    Enum.Parse<HistoryState>(reader.GetString(6), ignoreCase: true),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }

            return records;
        });
    }

    // Every step takes SQLite's write lock itself (BEGIN IMMEDIATE) and re-reads its history row.
    public IDisposable AcquireRunLock(TimeSpan timeout, CancellationToken cancellation)
    {
        connection.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        return NoLock.Instance;
    }

    public bool RunInTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        using var transaction = BeginWrite();
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (AlreadyDone(change))
            {
                transaction.Rollback();
                return false;
            }

            foreach (var statement in script.Statements)
            {
                cancellation.ThrowIfCancellationRequested();
                ExecuteStatement(script, statement, observer, cancellation);
            }

            WriteHistory(change.WithElapsed(Stopwatch.GetElapsedTime(started)));
            transaction.Commit();
            return true;
        }
        finally
        {
            EndWrite();
        }
    }

    public void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var statement in script.Statements)
        {
            // Recorded before the statement runs, so a run killed here leaves a visible Failed row naming it.
            MarkFailed(change, statement.Text);
            try
            {
                cancellation.ThrowIfCancellationRequested();
                ExecuteStatement(script, statement, observer, cancellation);
            }
            catch (Exception e) when (e is MigrationException or OperationCanceledException)
            {
                MarkFailed(change, statement.Text);
                throw;
            }
        }

        WriteHistory(change.WithElapsed(Stopwatch.GetElapsedTime(started)), replace: true);
    }

    public void RepairHistory(HistoryRepair repair, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(repair);
        using var transaction = BeginWrite();
        try
        {
            using (var create = Command(
                $"CREATE TABLE IF NOT EXISTS {HistoryTable.RepairLog.Quoted} (id INTEGER PRIMARY KEY AUTOINCREMENT, version TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, previous_state TEXT NOT NULL, previous_checksum TEXT, new_checksum TEXT, repaired_by TEXT NOT NULL, repaired_at TEXT NOT NULL)"))
            {
                Run(() => create.ExecuteNonQuery());
            }

            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            using (var change = Command(repair.NewChecksum is null
                ? $"DELETE FROM {HistoryTable.Quoted} WHERE version = @version"
                : $"INSERT INTO {HistoryTable.Quoted} (version, name, checksum, applied_at, applied_by, execution_ms, state, failed_statement) VALUES (@version, @name, @checksum, @now, @by, 0, 'Applied', NULL) " +
                  "ON CONFLICT (version) DO UPDATE SET checksum = excluded.checksum, state = 'Applied', failed_statement = NULL"))
            {
                change.Parameters.AddWithValue("@version", repair.Version);
                change.Parameters.AddWithValue("@name", repair.Name);
                change.Parameters.AddWithValue("@checksum", (object?)repair.NewChecksum ?? DBNull.Value);
                change.Parameters.AddWithValue("@now", now);
                change.Parameters.AddWithValue("@by", repair.RepairedBy);
                Run(() => change.ExecuteNonQuery());
            }

            using (var audit = Command(
                $"INSERT INTO {HistoryTable.RepairLog.Quoted} (version, name, action, previous_state, previous_checksum, new_checksum, repaired_by, repaired_at) VALUES (@version, @name, @action, @previous_state, @previous_checksum, @new_checksum, @by, @now)"))
            {
                audit.Parameters.AddWithValue("@version", repair.Version);
                audit.Parameters.AddWithValue("@name", repair.Name);
                audit.Parameters.AddWithValue("@action", repair.Action);
                audit.Parameters.AddWithValue("@previous_state", repair.PreviousState);
                audit.Parameters.AddWithValue("@previous_checksum", (object?)repair.PreviousChecksum ?? DBNull.Value);
                audit.Parameters.AddWithValue("@new_checksum", (object?)repair.NewChecksum ?? DBNull.Value);
                audit.Parameters.AddWithValue("@by", repair.RepairedBy);
                audit.Parameters.AddWithValue("@now", now);
                Run(() => audit.ExecuteNonQuery());
            }

            transaction.Commit();
        }
        finally
        {
            EndWrite();
        }
    }

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation) =>
        new SqliteMigrationTransaction(this, BeginWrite(), cancellation);

    public string DescribeHistoryChange(HistoryChange change) => change switch
    {
        HistoryChange.Insert insert =>
            $"INSERT INTO {HistoryTable.Quoted} (version, name, checksum, applied_at, applied_by, execution_ms, state) VALUES ({SqlLiteral.Quote(insert.Record.Version)}, {SqlLiteral.Quote(insert.Record.Name)}, {SqlLiteral.Quote(insert.Record.Checksum)}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), {SqlLiteral.Quote(insert.Record.AppliedBy)}, 0, 'Applied');",
        _ => $"DELETE FROM {HistoryTable.Quoted} WHERE version = {SqlLiteral.Quote(change.Version)};",
    };

    public void Dispose() => connection.Dispose();

    internal SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = currentTransaction;
        return command;
    }

    internal bool AlreadyDone(HistoryChange change)
    {
        using var command = Command($"SELECT count(*) FROM {HistoryTable.Quoted} WHERE version = @version AND state = 'Applied'");
        command.Parameters.AddWithValue("@version", change.Version);
        var exists = Convert.ToInt64(Run(() => command.ExecuteScalar()), CultureInfo.InvariantCulture) > 0;
        return change is HistoryChange.Insert ? exists : !exists;
    }

    private void MarkFailed(HistoryChange change, string statement)
    {
        if (change is HistoryChange.Insert insert)
        {
            WriteHistory(new HistoryChange.Insert(insert.Record with { State = HistoryState.Failed, FailedStatement = statement }), replace: true);
            return;
        }

        using var command = Command($"UPDATE {HistoryTable.Quoted} SET state = 'Failed', failed_statement = @statement WHERE version = @version");
        command.Parameters.AddWithValue("@statement", statement);
        command.Parameters.AddWithValue("@version", change.Version);
        Run(() => command.ExecuteNonQuery());
    }

    internal void WriteHistory(HistoryChange change, bool replace = false)
    {
        using var command = Command(string.Empty);
        switch (change)
        {
            case HistoryChange.Insert { Record: var record }:
                command.CommandText =
                    $"INSERT {(replace ? "OR REPLACE " : string.Empty)}INTO {HistoryTable.Quoted} (version, name, checksum, applied_at, applied_by, execution_ms, state, failed_statement) VALUES (@version, @name, @checksum, @applied_at, @applied_by, @execution_ms, @state, @failed_statement)";
                command.Parameters.AddWithValue("@version", record.Version);
                command.Parameters.AddWithValue("@name", record.Name);
                command.Parameters.AddWithValue("@checksum", record.Checksum);
                command.Parameters.AddWithValue("@applied_at", record.AppliedAtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("@applied_by", record.AppliedBy);
                command.Parameters.AddWithValue("@execution_ms", record.ExecutionMilliseconds);
                command.Parameters.AddWithValue("@state", record.State.ToString());
                command.Parameters.AddWithValue("@failed_statement", (object?)record.FailedStatement ?? DBNull.Value);
                break;
            default:
                command.CommandText = $"DELETE FROM {HistoryTable.Quoted} WHERE version = @version";
                command.Parameters.AddWithValue("@version", change.Version);
                break;
        }

        Run(() => command.ExecuteNonQuery());
    }

    private SqliteTransaction BeginWrite()
    {
        var transaction = Run(() => connection.BeginTransaction(deferred: false));
        currentTransaction = transaction;
        return transaction;
    }

    internal void EndWrite() => currentTransaction = null;

    private void ExecuteStatement(StepScript script, SqlStatement statement, IStatementObserver observer, CancellationToken cancellation)
    {
        using var command = Command(statement.Text);
        var started = Stopwatch.GetTimestamp();
        using (cancellation.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle)))
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
                throw StatementFailure.Create(Target, script, statement, e.Message, null, e);
            }
        }

        if (observer.WantsStatementTiming)
        {
            observer.StatementExecuted(statement, Stopwatch.GetElapsedTime(started));
        }
    }

    private T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteBusy)
        {
            // The write lock is SQLite's run lock (see AcquireRunLock): waiting out the busy timeout is a lock timeout.
            throw new MigrationException(MigrationErrorKind.LockTimeout, "MigrationLockTimeout",
                $"Another connection is writing to the SQLite database '{Target.DisplayName}'; gave up waiting for its write lock after {connection.DefaultTimeout} s. " +
                "What needed the lock was not run; migrations applied earlier in this run stay applied.", e)
            {
                RecommendedAction = "Wait for the other run to finish, or raise -LockTimeout.",
            };
        }
        catch (SqliteException e)
        {
            throw new MigrationException(MigrationErrorKind.ResourceUnavailable, "SqliteError",
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
