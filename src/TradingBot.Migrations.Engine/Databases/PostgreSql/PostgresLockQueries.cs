using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>One user table of the scratch database as the tracer sees it at one moment.</summary>
internal sealed record TracedTable(long Oid, string Name, long FileNode, long Bytes, long SequentialScans);

/// <summary>The catalog reads of the lock tracer: relation locks held by a backend, and the user tables with their files.</summary>
internal static class PostgresLockQueries
{
    // Relation locks only (not transaction ids, advisory or object locks), in this database; pg_locks names modes as AccessExclusiveLock.
    private const string LocksOfBackend = """
        SELECT l.relation::bigint, l.mode FROM pg_locks l
        WHERE l.pid = @pid AND l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    // Tables, partitioned tables and materialized views outside the system schemas; public tables go by their bare name.
    // pg_stat_xact_user_tables counts this transaction's scans: a validating scan (SET NOT NULL, ADD CONSTRAINT) shows there.
    private const string UserTables = """
        SELECT c.oid::bigint, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
               c.relfilenode::bigint, pg_relation_size(c.oid), coalesce(s.seq_scan, 0)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
        """;

    public static HashSet<(long Oid, string Mode)> Locks(NpgsqlConnection connection, int backend, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand(LocksOfBackend, connection, transaction);
        command.Parameters.AddWithValue("pid", backend);
        using var reader = command.ExecuteReader();
        var locks = new HashSet<(long, string)>();
        while (reader.Read())
        {
            locks.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return locks;
    }

    public static Dictionary<long, TracedTable> Tables(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand(UserTables, connection, transaction);
        using var reader = command.ExecuteReader();
        var tables = new Dictionary<long, TracedTable>();
        while (reader.Read())
        {
            var table = new TracedTable(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            tables[table.Oid] = table;
        }

        return tables;
    }
}
