using System.Diagnostics;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// Traces a migration on a scratch database. A transactional migration runs statement by statement in one transaction that
/// is rolled back: after each statement this backend's pg_locks, diffed against before it, gives the locks the statement
/// added (the transaction holds them all until it ends), and each user table's relfilenode and sequential scans say which it
/// rewrote or scanned. A <c>-- transaction: none</c> migration runs without a transaction (its changes stay on the scratch
/// database), while a second connection samples the first one's pg_locks until the statement returns.
/// </summary>
internal sealed class PostgresLockTracer : ILockTracer
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlConnection sampler;
    private readonly DatabaseTarget scratch;

    private PostgresLockTracer(DatabaseTarget scratch, NpgsqlConnection connection, NpgsqlConnection sampler)
    {
        this.scratch = scratch;
        this.connection = connection;
        this.sampler = sampler;
    }

    public static PostgresLockTracer Open(DatabaseTarget scratch, CancellationToken cancellation)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(scratch.ConnectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString;
        var connection = new NpgsqlConnection(connectionString);
        var sampler = new NpgsqlConnection(connectionString);
        try
        {
            connection.OpenAsync(cancellation).GetAwaiter().GetResult();
            sampler.OpenAsync(cancellation).GetAwaiter().GetResult();
            return new PostgresLockTracer(scratch, connection, sampler);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            connection.Dispose();
            sampler.Dispose();
            throw cancellation.IsCancellationRequested
                ? new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled.", e)
                : new MigrationException(MigrationErrors.ScratchDatabaseFailed, scratch.Redact($"Cannot connect to the scratch database to trace: {PostgresSession.Describe(e)}"), e);
        }
    }

    public IReadOnlyList<TracedStatement> Trace(TraceScript script, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            return script.InTransaction ? InTransaction(script, cancellation) : WithoutTransaction(script, cancellation);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The tracer's own catalog reads: the statements' failures are TraceFailed already (Execute).
            throw cancellation.IsCancellationRequested
                ? new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled.", e)
                : new MigrationException(MigrationErrors.ScratchDatabaseFailed,
                    scratch.Redact($"Reading the locks of migration {script.Version} on the scratch database failed: {PostgresSession.Describe(e)}"), e);
        }
    }

    public void Dispose()
    {
        sampler.Dispose();
        connection.Dispose();
    }

    private List<TracedStatement> WithoutTransaction(TraceScript script, CancellationToken cancellation)
    {
        var existing = PostgresLockQueries.Tables(connection, null);
        return script.Statements.Select(statement => Sampled(script, statement, existing, cancellation)).ToList();
    }

    private List<TracedStatement> InTransaction(TraceScript script, CancellationToken cancellation)
    {
        var existing = PostgresLockQueries.Tables(connection, null);
        var traced = new List<TracedStatement>();
        using var transaction = connection.BeginTransaction();
        foreach (var statement in script.Statements.Where(s => TransactionStatements.EffectOf(s) == TransactionEffect.None))
        {
            var locks = PostgresLockQueries.Locks(connection, connection.ProcessID, transaction);
            var tables = PostgresLockQueries.Tables(connection, transaction);
            var duration = Execute(script, statement, transaction, cancellation);
            var held = PostgresLockQueries.Locks(connection, connection.ProcessID, transaction);
            traced.Add(Statement(script, statement, held.Except(locks).ToHashSet(), held, tables, PostgresLockQueries.Tables(connection, transaction), existing, duration, inTransaction: true));
        }

        transaction.Rollback();
        return traced;
    }

    // Outside a transaction the locks last only as long as the statement: sampled from the second connection while it runs.
    private TracedStatement Sampled(TraceScript script, SqlStatement statement, Dictionary<long, TracedTable> existing, CancellationToken cancellation)
    {
        var tables = PostgresLockQueries.Tables(connection, null);
        var backend = connection.ProcessID;
        var running = Task.Run(() => Execute(script, statement, null, cancellation), CancellationToken.None);
        var seen = new HashSet<(long Oid, string Mode)>();
        try
        {
            while (!running.IsCompleted)
            {
                seen.UnionWith(PostgresLockQueries.Locks(sampler, backend, null));
            }
        }
        catch (NpgsqlException)
        {
            // Wait for the statement, so nothing runs on unobserved: its own failure (TraceFailed) is the one to report.
            running.GetAwaiter().GetResult();
            throw;
        }

        var duration = running.GetAwaiter().GetResult();
        return Statement(script, statement, seen, seen, tables, PostgresLockQueries.Tables(connection, null), existing, duration, inTransaction: false);
    }

    private static TracedStatement Statement(TraceScript script, SqlStatement statement, HashSet<(long Oid, string Mode)> locks, HashSet<(long Oid, string Mode)> held,
        Dictionary<long, TracedTable> before, Dictionary<long, TracedTable> after, Dictionary<long, TracedTable> existing, TimeSpan duration, bool inTransaction)
    {
        TracedLock? Lock((long Oid, string Mode) held) =>
            (after.GetValueOrDefault(held.Oid) ?? before.GetValueOrDefault(held.Oid)) is { } table
                ? new TracedLock(table.Name, held.Mode, existing.ContainsKey(table.Oid), table.Bytes)
                : null;
        return new TracedStatement
        {
            Version = script.Version,
            Name = script.Name,
            File = script.File,
            Line = statement.Line,
            Statement = statement.Text,
            Locks = Named(locks.Select(Lock)),
            HeldLocks = Named(held.Select(Lock)),
            WatchedTables = after.Values.Select(t => t.Name).ToHashSet(StringComparer.Ordinal),
            RewrittenTables = before.Values.Where(t => after.TryGetValue(t.Oid, out var now) && t.FileNode != 0 && now.FileNode != t.FileNode)
                .Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            ScannedTables = before.Values.Where(t => after.TryGetValue(t.Oid, out var now) && now.SequentialScans > t.SequentialScans)
                .Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            Duration = duration,
            InTransaction = inTransaction,
        };
    }

    private static List<TracedLock> Named(IEnumerable<TracedLock?> locks) =>
        locks.OfType<TracedLock>().OrderByDescending(l => LockModes.Strength(l.Mode)).ThenBy(l => l.Relation, StringComparer.Ordinal).ToList();

    private TimeSpan Execute(TraceScript script, SqlStatement statement, NpgsqlTransaction? transaction, CancellationToken cancellation)
    {
        using var command = new NpgsqlCommand(statement.Text, connection, transaction) { CommandTimeout = 0 };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (cancellation.Register(static state => PostgresSession.CancelSafely(((NpgsqlCommand)state!).Cancel), command))
            {
                command.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            throw cancellation.IsCancellationRequested
                ? new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled.", e)
                : script.Failed(statement, scratch.Redact(PostgresSession.Describe(e)), e);
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
