using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// The run lock: a transaction-level advisory lock keyed on the history table, taken by a transaction of its own on a
/// connection of its own that stays open, idle, for the run's life; rolling it back (or the connection closing, however
/// the run ends) releases it. A transaction keeps its server connection through any pooler, so this holds behind
/// PgBouncer in transaction mode too, where a session lock would be taken on one server connection and released on
/// another. Waiting is bounded by the run's lock timeout; on expiry the error names the holder.
/// </summary>
internal sealed class PostgresAdvisoryLock : IDisposable
{
    // A holder whose machine vanishes without closing its socket is noticed by the server's keepalives (when it talks to
    // the client directly): about 20 + 4 x 5 s. Set for the lock's transaction only. They are also what keeps the lock's
    // transaction from holding a snapshot: the SELECT's portal keeps its snapshot (and so the backend's xmin, which
    // CREATE INDEX CONCURRENTLY waits on) until the next portal replaces it, and a SET needs none.
    // The lock's transaction sits idle in transaction for the whole run: a server or database that sets
    // idle_in_transaction_session_timeout (managed servers often do) would end it mid-run and free the lock unseen.
    private static readonly string[] KeepaliveSettings =
        ["SET LOCAL tcp_keepalives_idle = 20", "SET LOCAL tcp_keepalives_interval = 5", "SET LOCAL tcp_keepalives_count = 4",
         "SET LOCAL idle_in_transaction_session_timeout = 0"];

    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private bool released;

    private PostgresAdvisoryLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static long KeyFor(string historyTable) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("TradingBot.Migrations:" + historyTable)));

    // Waiters poll with pg_try_advisory_xact_lock, ending their transaction after each miss, instead of blocking in
    // pg_advisory_xact_lock: a blocked statement holds a snapshot, and CREATE INDEX CONCURRENTLY in the holder's run
    // would wait for it while it waits for the holder (a deadlock). The holder's transaction runs nothing once it has the
    // lock, so it holds no snapshot for CREATE INDEX CONCURRENTLY to wait on (see KeepaliveSettings).
    public static PostgresAdvisoryLock Acquire(PostgresSession session, TimeSpan timeout, CancellationToken cancellation)
    {
        var key = KeyFor(session.History.Table.ToString());
        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(10);
        var connection = session.OpenAnotherConnection();
        try
        {
            while (true)
            {
                var transaction = connection.BeginTransaction();
                if (TryTake(session, connection, transaction, key, cancellation))
                {
                    return new PostgresAdvisoryLock(connection, transaction);
                }

                session.Run(() => { }, () => { transaction.Rollback(); return true; }, cancellation);
                transaction.Dispose();
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new MigrationException(MigrationErrors.MigrationLockTimeout,
                        $"Another migration run holds the lock on {session.Target.DisplayName} ({session.History.Table}); gave up after {timeout.TotalSeconds:0.#} s. Holder: {DescribeHolder(session, connection, key)}. Nothing was changed.")
                    {
                        RecommendedAction = "Wait for the other run to finish, or raise -LockTimeout. A run that was killed releases the lock when its connection closes.",
                    };
                }

                if (cancellation.WaitHandle.WaitOne(Min(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(10)), remaining)))
                {
                    throw new MigrationException(MigrationErrors.OperationCanceled, "Canceled while waiting for the migration lock; nothing was changed.");
                }

                pause = Min(pause * 2, TimeSpan.FromMilliseconds(200));
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool TryTake(PostgresSession session, NpgsqlConnection connection, NpgsqlTransaction transaction, long key, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(connection, transaction);
        var take = new NpgsqlBatchCommand("SELECT pg_try_advisory_xact_lock($1)");
        take.Parameters.Add(new NpgsqlParameter { Value = key });
        batch.BatchCommands.Add(take);
        foreach (var setting in KeepaliveSettings)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }
        return session.Run(batch.Cancel, () => (bool)batch.ExecuteScalar()!, cancellation);
    }

    /// <summary>Whether any session holds the run lock of this database's history table now.</summary>
    public static bool IsHeld(PostgresSession session, CancellationToken cancellation)
    {
        var key = KeyFor(session.History.Table.ToString());
        using var command = session.Command(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
        return session.Run(command, () => (bool)command.ExecuteScalar()!, cancellation);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        if (released)
        {
            return;
        }

        released = true;
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                transaction.Rollback();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // Closing the connection below ends the transaction, and its lock, anyway.
        }
        finally
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }

    private static string DescribeHolder(PostgresSession session, NpgsqlConnection connection, long key)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'), a.backend_start, a.state_change
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)(key >> 32) });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(uint)key });
        try
        {
            return session.Run(command, () =>
            {
                using var reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    return "unknown (it may have just finished)";
                }

                return string.Create(CultureInfo.InvariantCulture,
                    $"pid {reader.GetInt32(0)}, application '{reader.GetString(1)}', client {reader.GetString(2)}, connected since {reader.GetDateTime(3):u}, holding since at least {reader.GetDateTime(4):u}");
            }, CancellationToken.None);
        }
        catch (MigrationException e)
        {
            return "unknown (" + e.Message + ")";
        }
    }
}
