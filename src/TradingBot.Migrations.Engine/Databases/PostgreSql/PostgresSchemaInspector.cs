using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

internal sealed class PostgresSchemaInspector(PostgresSession session) : ISchemaInspector
{
    private const string UserSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

    public TableSize? SizeOf(string table, CancellationToken cancellation)
    {
        var rows = Query("SELECT c.reltuples::bigint, pg_total_relation_size(c.oid), c.oid::regclass::text FROM pg_class c WHERE c.oid = to_regclass($1)",
            r => (Estimate: r.GetInt64(0), Bytes: r.GetInt64(1), Name: r.GetString(2)), cancellation, table);
        if (rows.Count == 0)
        {
            return null;
        }

        var (estimate, bytes, name) = rows[0];
        // Never analysed (reltuples = -1): count small tables exactly, say nothing of big ones.
        long? count = estimate >= 0 ? estimate
            : bytes < 64L * 1024 * 1024 ? Query($"SELECT count(*) FROM {name}", r => r.GetInt64(0), cancellation)[0] : null;
        return new TableSize(name, count, bytes);
    }

    public IReadOnlyList<string> TablesWithoutPrimaryKey(CancellationToken cancellation) => Query(
        $"""
        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {UserSchemas}
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
        ORDER BY 1
        """, r => r.GetString(0), cancellation);

    public IReadOnlyList<ForeignKeyFact> ForeignKeys(CancellationToken cancellation)
    {
        var keys = Query(
            $"""
            SELECT k.conrelid::regclass::text, k.conname, k.convalidated, k.confrelid::regclass::text,
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(k.conkey) WITH ORDINALITY x(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.n ORDER BY x.o),
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(k.confkey) WITH ORDINALITY x(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.n ORDER BY x.o),
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = k.conrelid
                           AND ARRAY(SELECT unnest((i.indkey::int2[])[0:cardinality(k.conkey) - 1]) ORDER BY 1) = ARRAY(SELECT unnest(k.conkey) ORDER BY 1))
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND {UserSchemas}
            ORDER BY 1, 2
            """,
            r => (Table: r.GetString(0), Name: r.GetString(1), Validated: r.GetBoolean(2), Parent: r.GetString(3),
                  Columns: r.GetFieldValue<string[]>(4), ParentColumns: r.GetFieldValue<string[]>(5), Indexed: r.GetBoolean(6)),
            cancellation);
        return keys.Select(k => new ForeignKeyFact(k.Table, k.Name, k.Columns, k.Parent, k.Indexed, k.Validated,
            k.Validated ? 0 : Orphans(k.Table, k.Columns, k.Parent, k.ParentColumns, cancellation))).ToList();
    }

    public IReadOnlyList<string> InvalidIndexes(CancellationToken cancellation) => Query(
        $"""
        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid AND {UserSchemas} ORDER BY 1
        """, r => r.GetString(0), cancellation);

    // Only a NOT VALID key can have violating rows; the names come quoted from quote_ident and regclass.
    public IReadOnlyList<(string Table, string Column)> TableColumns(CancellationToken cancellation) => Query(
        $"SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid " +
        $"WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {UserSchemas} ORDER BY 1, a.attnum",
        r => (r.GetString(0), r.GetString(1)), cancellation);

    public IReadOnlyList<string> IndexNames(CancellationToken cancellation) => Query(
        $"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('i', 'I') AND {UserSchemas} ORDER BY 1",
        r => r.GetString(0), cancellation);

    private long Orphans(string table, string[] columns, string parent, string[] parentColumns, CancellationToken cancellation)
    {
        var notNull = string.Join(" AND ", columns.Select(c => $"c.{c} IS NOT NULL"));
        var matches = string.Join(" AND ", columns.Zip(parentColumns, (c, p) => $"p.{p} = c.{c}"));
        return Query($"SELECT count(*) FROM {table} c WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {matches})", r => r.GetInt64(0), cancellation)[0];
    }

    private List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellation, params object[] parameters)
    {
        using var command = session.Command(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return session.Run(command, () =>
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }, cancellation);
    }
}
