using System.Data;
using System.Globalization;
using Npgsql;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// Reads the schema in one read-only repeatable-read transaction (one consistent view of the catalogs) with search_path set
/// to pg_catalog only, so every deparsed name is schema-qualified, then rolls back.
/// </summary>
internal sealed class PostgresSchemaReader(PostgresSession session) : ISchemaReader
{
    public SchemaSnapshot Read(HistoryTableName historyTable, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(historyTable);
        using var transaction = session.Connection.BeginTransaction(IsolationLevel.RepeatableRead);
        Execute("SET TRANSACTION READ ONLY", transaction, cancellation);
        var excluded = HistoryTables(historyTable, transaction, cancellation);
        Execute("SET LOCAL search_path = pg_catalog", transaction, cancellation);
        var objects = new List<SchemaObject>();
        foreach (var (kind, sql) in PostgresSchemaQueries.All)
        {
            objects.AddRange(ReadObjects(kind, sql, transaction, cancellation));
        }

        transaction.Rollback();
        return new SchemaSnapshot(SqlDialect.PostgreSql, objects.Where(o => !BelongsTo(o, excluded)));
    }

    // The history table and its repair log, named as the queries name tables; the schema is the caller's search path's first.
    private HashSet<string> HistoryTables(HistoryTableName table, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        using var command = session.Command("SELECT format('%I.%I', coalesce($1, current_schema()), $2), format('%I.%I', coalesce($1, current_schema()), $3)", transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)table.Schema ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = table.Table });
        command.Parameters.Add(new NpgsqlParameter { Value = table.RepairLog.Table });
        return session.Run(command, () =>
        {
            using var reader = command.ExecuteReader();
            reader.Read();
            return new HashSet<string>(StringComparer.Ordinal) { reader.GetString(0), reader.GetString(1) };
        }, cancellation);
    }

    private static bool BelongsTo(SchemaObject item, HashSet<string> tables) =>
        tables.Contains(item.Table ?? item.Name) ||
        item["owned by"] is { } owner && tables.Any(t => owner.StartsWith(t + ".", StringComparison.Ordinal));

    private List<SchemaObject> ReadObjects(SchemaObjectKind kind, string sql, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        using var command = session.Command(sql, transaction);
        return session.Run(command, () =>
        {
            using var reader = command.ExecuteReader();
            var objects = new List<SchemaObject>();
            while (reader.Read())
            {
                var properties = new List<SchemaProperty>();
                string? source = null;
                for (var i = 2; i < reader.FieldCount; i++)
                {
                    if (reader.GetName(i) == PostgresSchemaQueries.SourceColumn)
                    {
                        source = reader.IsDBNull(i) ? null : reader.GetString(i);
                    }
                    else if (Text(reader.GetValue(i)) is { } value)
                    {
                        properties.Add(new SchemaProperty(reader.GetName(i), value));
                    }
                }

                objects.Add(new SchemaObject(kind, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), properties) { Source = source });
            }

            return objects;
        }, cancellation);
    }

    private static string? Text(object value) => value switch
    {
        DBNull => null,
        bool flag => flag ? "yes" : "no",
        string[] { Length: 0 } => null,
        string[] items => string.Join("\n", items.Select(SchemaText.Normalize)),
        string text => SchemaText.Normalize(text),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private void Execute(string sql, NpgsqlTransaction transaction, CancellationToken cancellation)
    {
        using var command = session.Command(sql, transaction);
        session.Run(command, command.ExecuteNonQuery, cancellation);
    }
}
