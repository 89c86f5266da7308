using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

internal sealed class SqliteSchemaInspector(SqliteSession session) : ISchemaInspector
{
    public TableSize? SizeOf(string table, CancellationToken cancellation)
    {
        var name = Tables().FirstOrDefault(t => string.Equals(t, table.Trim('"', '`', '[', ']'), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return null;
        }

        var rows = Query($"SELECT count(*) FROM {HistoryTableName.Quote(name)}", r => r.GetInt64(0))[0];
        long? bytes;
        try
        {
            bytes = Query("SELECT sum(pgsize) FROM dbstat WHERE name = @p0", r => r.IsDBNull(0) ? 0 : r.GetInt64(0), name)[0];
        }
        catch (MigrationException)
        {
            bytes = null; // this SQLite build has no dbstat table
        }

        return new TableSize(name, rows, bytes);
    }

    public IReadOnlyList<string> TablesWithoutPrimaryKey(CancellationToken cancellation) =>
        Tables().Where(t => !Query($"PRAGMA table_info({HistoryTableName.Quote(t)})", r => r.GetInt64(5)).Any(pk => pk > 0)).ToList();

    public IReadOnlyList<ForeignKeyFact> ForeignKeys(CancellationToken cancellation)
    {
        var orphans = Query("PRAGMA foreign_key_check", r => (Table: r.GetString(0), Key: r.GetInt64(3)))
            .GroupBy(o => o).ToDictionary(g => g.Key, g => (long)g.Count());
        var facts = new List<ForeignKeyFact>();
        foreach (var table in Tables())
        {
            var quoted = HistoryTableName.Quote(table);
            var indexes = Query($"PRAGMA index_list({quoted})", r => r.GetString(1))
                .Select(index => Query($"PRAGMA index_info({HistoryTableName.Quote(index)})", r => r.IsDBNull(2) ? string.Empty : r.GetString(2)))
                .ToList();
            var keys = Query($"PRAGMA foreign_key_list({quoted})", r => (Id: r.GetInt64(0), Parent: r.GetString(2), Column: r.GetString(3)));
            foreach (var key in keys.GroupBy(k => k.Id))
            {
                var columns = key.Select(k => k.Column).ToList();
                var indexed = indexes.Any(index => index.Count >= columns.Count && index.Take(columns.Count).Order().SequenceEqual(columns.Order(), StringComparer.OrdinalIgnoreCase));
                facts.Add(new ForeignKeyFact(table, $"{table}_fk{key.Key}", columns, key.First().Parent, indexed, Validated: true,
                    orphans.GetValueOrDefault((table, key.Key))));
            }
        }

        return facts;
    }

    public IReadOnlyList<string> InvalidIndexes(CancellationToken cancellation) => [];

    public IReadOnlyList<(string Table, string Column)> TableColumns(CancellationToken cancellation) => Query(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
        r => (r.GetString(0), r.GetString(1)));

    public IReadOnlyList<string> IndexNames(CancellationToken cancellation) =>
        Query("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name", r => r.GetString(0));

    private List<string> Tables() =>
        Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", r => r.GetString(0));

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params object[] parameters) => session.Query(sql, read, parameters);
}
