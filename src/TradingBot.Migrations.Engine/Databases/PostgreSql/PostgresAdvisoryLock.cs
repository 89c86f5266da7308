using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// A session-level advisory lock keyed on the history table, so two runs against one database (two
/// CI jobs) take turns. Waiting is bounded by lock_timeout; on expiry the error names the holder.
/// </summary>
internal sealed class PostgresAdvisoryLock : IDisposable
{
    private readonly PostgresSession session;
    private readonly long key;
    private bool released;

    private PostgresAdvisoryLock(PostgresSession session, long key)
    {
        this.session = session;
        this.key = key;
    }

    public static long KeyFor(string historyTable) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("TradingBot.Migrations:" + historyTable)));

    // Waiters poll with pg_try_advisory_lock instead of blocking in pg_advisory_lock: a blocked
    // statement holds a snapshot, and CREATE INDEX CONCURRENTLY in the holder's run would wait for it
    // while it waits for the holder — a deadlock.
    public static PostgresAdvisoryLock Acquire(PostgresSession session, TimeSpan timeout, CancellationToken cancellation)
    {
        var key = KeyFor(session.History.Table.ToString());
        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(10);
        while (!session.RunLockQuery("SELECT pg_try_advisory_lock($1)", key, cancellation))
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new MigrationException(MigrationErrors.MigrationLockTimeout,
                    $"Another migration run holds the lock on {session.Target.DisplayName} ({session.History.Table}); gave up after {timeout.TotalSeconds:0.#} s. Holder: {DescribeHolder(session, key)}. Nothing was changed.")
                {
                    RecommendedAction = "Wait for the other run to finish, or raise -LockTimeout.",
                };
            }

            if (cancellation.WaitHandle.WaitOne(Min(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(10)), remaining)))
            {
                throw new MigrationException(MigrationErrors.OperationCanceled, "Canceled while waiting for the migration lock; nothing was changed.");
            }

            pause = Min(pause * 2, TimeSpan.FromMilliseconds(200));
        }

        return new PostgresAdvisoryLock(session, key);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        if (released || session.Connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        released = true;
        using var command = session.Command("SELECT pg_advisory_unlock($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        try
        {
            session.Run(command, () => command.ExecuteScalar(), CancellationToken.None);
        }
        catch (MigrationException)
        {
            // Closing the connection releases a session lock anyway.
        }
    }

    private static string DescribeHolder(PostgresSession session, long key)
    {
        using var command = session.Command(
            """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'), a.backend_start, a.state_change
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
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
