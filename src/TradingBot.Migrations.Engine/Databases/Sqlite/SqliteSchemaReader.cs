using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// Reads sqlite_master and the table pragmas. SQLite keeps only the text of indexes, views and triggers, so those are
/// compared as canonical SQL; tables are read column by column (an ALTER TABLE ADD COLUMN rewrites the stored text, not
/// the table's meaning). Constraints SQLite does not name are named from what they cover.
/// </summary>
internal sealed partial class SqliteSchemaReader(SqliteSession session) : ISchemaReader
{
    public SchemaSnapshot Read(HistoryTableName historyTable, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(historyTable);
        var excluded = new HashSet<string>([historyTable.Table, historyTable.RepairLog.Table], StringComparer.OrdinalIgnoreCase);
        var entries = Query("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            r => (Type: r.GetString(0), Name: r.GetString(1), Table: r.GetString(2), Sql: r.IsDBNull(3) ? null : r.GetString(3)))
            .Where(e => !excluded.Contains(e.Table));
        var objects = new List<SchemaObject>();
        foreach (var entry in entries)
        {
            cancellation.ThrowIfCancellationRequested();
            var name = Ident(entry.Name);
            switch (entry.Type)
            {
                case "table":
                    objects.Add(new SchemaObject(SchemaObjectKind.Table, name, null, []));
                    objects.AddRange(TableParts(entry.Name, entry.Sql ?? string.Empty));
                    break;
                case "index" when entry.Sql is not null:
                    objects.Add(Definition(SchemaObjectKind.Index, name, Ident(entry.Table), entry.Sql));
                    break;
                case "view":
                    objects.Add(Definition(SchemaObjectKind.View, name, null, entry.Sql ?? string.Empty));
                    break;
                case "trigger":
                    objects.Add(Definition(SchemaObjectKind.Trigger, name, Ident(entry.Table), entry.Sql ?? string.Empty));
                    break;
            }
        }

        return new SchemaSnapshot(SqlDialect.Sqlite, objects);
    }

    private static SchemaObject Definition(SchemaObjectKind kind, string name, string? table, string sql) =>
        new(kind, name, table, [new SchemaProperty("definition", CanonicalSql.Text(sql, SqlDialect.Sqlite))]);

    private IEnumerable<SchemaObject> TableParts(string table, string sql)
    {
        var owner = Ident(table);
        var quoted = HistoryTableName.Quote(table);
        var columns = Query($"PRAGMA table_xinfo({quoted})", r => (Position: r.GetInt64(0) + 1, Name: r.GetString(1), Type: r.GetString(2),
            NotNull: r.GetInt64(3) != 0, Default: r.IsDBNull(4) ? null : r.GetString(4), Key: r.GetInt64(5), Hidden: r.GetInt64(6)));
        foreach (var column in columns)
        {
            List<SchemaProperty> properties =
            [
                new("position", column.Position.ToString(CultureInfo.InvariantCulture)),
                new("type", column.Type),
                new("nullable", column.NotNull ? "no" : "yes"),
            ];
            if (column.Default is not null)
            {
                properties.Add(new("default", column.Default));
            }

            if (column.Hidden is 2 or 3)
            {
                properties.Add(new("generated", column.Hidden == 2 ? "virtual" : "stored"));
            }

            yield return new SchemaObject(SchemaObjectKind.Column, $"{owner}.{Ident(column.Name)}", owner, properties);
        }

        var key = columns.Where(c => c.Key > 0).OrderBy(c => c.Key).Select(c => c.Name).ToList();
        if (key.Count > 0)
        {
            yield return Constraint(owner, "primary_key", "primary key", $"PRIMARY KEY ({ColumnList(key)})");
        }

        var uniques = Query($"PRAGMA index_list({quoted})", r => (Name: r.GetString(1), Origin: r.GetString(3))).Where(i => i.Origin == "u");
        foreach (var unique in uniques)
        {
            var covered = Query($"PRAGMA index_info({HistoryTableName.Quote(unique.Name)})", r => r.IsDBNull(2) ? "(expression)" : r.GetString(2));
            yield return Constraint(owner, "unique_" + string.Join('_', covered), "unique", $"UNIQUE ({ColumnList(covered)})");
        }

        var foreignKeys = Query($"PRAGMA foreign_key_list({quoted})", r => (Id: r.GetInt64(0), Parent: r.GetString(2), From: r.GetString(3),
            To: r.IsDBNull(4) ? null : r.GetString(4), OnUpdate: r.GetString(5), OnDelete: r.GetString(6)));
        foreach (var foreignKey in foreignKeys.GroupBy(k => k.Id).Select(g => g.ToList()))
        {
            var from = foreignKey.Select(k => k.From).ToList();
            var to = foreignKey.All(k => k.To is not null) ? $" ({ColumnList(foreignKey.Select(k => k.To!))})" : string.Empty;
            var first = foreignKey[0];
            yield return Constraint(owner, "fk_" + string.Join('_', from), "foreign key",
                $"FOREIGN KEY ({ColumnList(from)}) REFERENCES {Ident(first.Parent)}{to} ON UPDATE {first.OnUpdate} ON DELETE {first.OnDelete}");
        }

        foreach (var (name, expression) in CanonicalSql.Checks(sql, SqlDialect.Sqlite))
        {
            yield return Constraint(owner, name ?? "check_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(expression)))[..8].ToLowerInvariant(),
                "check", $"CHECK ({expression})");
        }
    }

    private static SchemaObject Constraint(string owner, string name, string type, string definition) =>
        new(SchemaObjectKind.Constraint, $"{owner}.{Ident(name)}", owner, [new("type", type), new("definition", definition)]);

    private static string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(Ident));

    // Plain lower-case names as they are; anything else quoted, so a name never holds a space or a dot unquoted.
    private static string Ident(string name) => PlainName().IsMatch(name) ? name : HistoryTableName.Quote(name);

    [GeneratedRegex("^[a-z_][a-z0-9_$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read) => session.Query(sql, read);
}
