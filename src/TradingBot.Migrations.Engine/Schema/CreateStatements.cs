using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>A whole table's statements: its CREATE (with what follows it), its foreign keys apart, and what was not written.</summary>
internal sealed record TableStatements(string Create, IReadOnlyList<(string Add, string Drop)> ForeignKeys, IReadOnlyList<string> NotGenerated);

/// <summary>
/// The SQL that creates a whole object again from its canonical model, for a migration written from drift: a table with
/// its columns, keys, indexes, triggers, policies and rules; a view; a function whose source was read; a sequence; an
/// enum. What the model does not hold enough of (a SQLite generated column's expression, inheritance, a partition) is
/// named, for the review, not guessed.
/// </summary>
internal static partial class CreateStatements
{
    private static readonly HashSet<string> TableProperties = new(StringComparer.Ordinal)
    {
        "persistence", "partition key", "options", "row security", "force row security", "privileges", "comment",
    };

    private static readonly HashSet<string> ColumnProperties = new(StringComparer.Ordinal)
    {
        "position", "type", "nullable", "default", "identity", "generated", "collation", "comment",
    };

    public static TableStatements Table(SchemaObject table, IReadOnlyList<SchemaObject> parts, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(parts);
        var postgres = dialect == SqlDialect.PostgreSql;
        var notGenerated = table.Properties.Where(p => !TableProperties.Contains(p.Name)).Select(p => $"table {table.Name} {p.Name}: {p.Value}").ToList();
        var lines = new List<string>();
        var after = new List<string>();
        foreach (var column in parts.Where(p => p.Kind == SchemaObjectKind.Column).OrderBy(c => int.Parse(c["position"] ?? "0", CultureInfo.InvariantCulture)))
        {
            lines.Add(Column(column, Local(column, table.Name), postgres, notGenerated));
            notGenerated.AddRange(column.Properties.Where(p => !ColumnProperties.Contains(p.Name)).Select(p => $"column {column.Name} {p.Name}: {p.Value}"));
            if (column["comment"] is { } note)
            {
                after.Add($"COMMENT ON COLUMN {column.Name} IS {Literal(note)};");
            }
        }

        var foreignKeys = new List<(string, string)>();
        foreach (var constraint in parts.Where(p => p.Kind == SchemaObjectKind.Constraint))
        {
            var local = Local(constraint, table.Name);
            if (postgres && (constraint["type"] == "foreign key" || constraint["validated"] == "no"))
            {
                foreignKeys.Add((AddConstraint(table.Name, local, constraint), $"ALTER TABLE {table.Name} DROP CONSTRAINT {local};"));
            }
            else
            {
                lines.Add(postgres || NamedByUser().IsMatch(local) ? $"CONSTRAINT {local} {constraint["definition"]}" : constraint["definition"]!);
                after.Add(Comment(constraint, "CONSTRAINT", local + " ON " + table.Name));
            }
        }

        foreach (var part in parts.Where(p => p.Kind is not (SchemaObjectKind.Column or SchemaObjectKind.Constraint)))
        {
            after.Add(Part(part, table.Name));
        }

        var create = new StringBuilder(table["persistence"] == "unlogged" ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ").Append(table.Name).Append(" (\n    ")
            .AppendJoin(",\n    ", lines).Append(')');
        create.Append(table["partition key"] is { } key ? " PARTITION BY " + key : string.Empty)
            .Append(table["options"] is { } options ? $" WITH ({string.Join(", ", options.Split('\n'))})" : string.Empty).Append(';');
        create.Append(table["row security"] == "yes" ? $"\nALTER TABLE {table.Name} ENABLE ROW LEVEL SECURITY;" : string.Empty)
            .Append(table["force row security"] == "yes" ? $"\nALTER TABLE {table.Name} FORCE ROW LEVEL SECURITY;" : string.Empty)
            .Append(Grants(table, "TABLE")).Append(Comment(table, "TABLE"));
        after.Where(statement => statement.Length > 0).ToList().ForEach(statement => create.Append('\n').Append(statement.TrimStart('\n')));
        return new TableStatements(create.ToString(), foreignKeys, notGenerated);
    }

    public static string AddConstraint(string table, string local, SchemaObject constraint) =>
        $"ALTER TABLE {table} ADD CONSTRAINT {local} {constraint["definition"]}{(constraint["validated"] == "no" ? " NOT VALID" : string.Empty)};" +
        Comment(constraint, "CONSTRAINT", local + " ON " + table);

    /// <summary>A table's part other than a column or constraint, created on its own: an index, trigger, policy or rule.</summary>
    public static string Part(SchemaObject part, string table)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Kind == SchemaObjectKind.Index)
        {
            return Statement(part["definition"]!) + Comment(part, "INDEX");
        }

        if (part.Kind != SchemaObjectKind.Policy)
        {
            return Statement(part["definition"]!) + Comment(part, part.Kind.ToString().ToUpperInvariant(), Local(part, table) + " ON " + table);
        }

        var policy = new StringBuilder($"CREATE POLICY {Local(part, table)} ON {table} AS {part["type"]!.ToUpperInvariant()} FOR {part["command"]}");
        policy.Append(" TO ").AppendJoin(", ", (part["roles"] ?? "PUBLIC").Split('\n'));
        policy.Append(part["using"] is { } check ? $" USING ({check})" : string.Empty).Append(part["with check"] is { } with ? $" WITH CHECK ({with})" : string.Empty);
        return policy.Append(';') + Comment(part, "POLICY", Local(part, table) + " ON " + table);
    }

    /// <summary>A view's CREATE: PostgreSQL keeps the query, SQLite the whole statement.</summary>
    public static string View(SchemaObject view, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (dialect != SqlDialect.PostgreSql)
        {
            return Statement(view["definition"]!);
        }

        var materialized = view["kind"] == "materialized";
        var create = $"CREATE {(materialized ? "MATERIALIZED " : string.Empty)}VIEW {view.Name}" +
            (view["options"] is { } options ? $" WITH ({string.Join(", ", options.Split('\n'))})" : string.Empty) + $" AS\n{Statement(view["definition"]!)}";
        return create + Grants(view, "TABLE") + Comment(view, materialized ? "MATERIALIZED VIEW" : "VIEW");
    }

    public static string DropView(SchemaObject view, SqlDialect dialect) =>
        $"DROP {(dialect == SqlDialect.PostgreSql && view["kind"] == "materialized" ? "MATERIALIZED " : string.Empty)}VIEW {view.Name};";

    /// <summary>A function's or procedure's CREATE OR REPLACE, when its source was read (a live database, not a schema file).</summary>
    public static string? Function(SchemaObject function) =>
        function.Source is { } source ? Statement(source) + Grants(function, function["kind"]!.ToUpperInvariant()) + Comment(function, function["kind"]!.ToUpperInvariant()) : null;

    public static string? DropFunction(SchemaObject function) =>
        function["kind"] is "function" or "procedure" ? $"DROP {function["kind"]!.ToUpperInvariant()} {function.Name};" : null;

    public static string Sequence(SchemaObject sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return $"CREATE SEQUENCE {sequence.Name} AS {sequence["type"]} INCREMENT {sequence["increment"]} MINVALUE {sequence["minimum"]} " +
            $"MAXVALUE {sequence["maximum"]} START {sequence["start"]} CACHE {sequence["cache"]}{(sequence["cycle"] == "yes" ? " CYCLE" : string.Empty)};" +
            Grants(sequence, "SEQUENCE") + Comment(sequence, "SEQUENCE");
    }

    /// <summary>The column a sequence belongs to (a serial's), once that column is there; null when it belongs to none.</summary>
    public static string? SequenceOwner(SchemaObject sequence) =>
        sequence["owned by"] is { } column ? $"ALTER SEQUENCE {sequence.Name} OWNED BY {column};" : null;

    public static string Enum(SchemaObject type) =>
        $"CREATE TYPE {type.Name} AS ENUM ({string.Join(", ", type["values"]!.Split('\n'))});" + Comment(type, "TYPE");

    private static string Column(SchemaObject column, string local, bool postgres, List<string> notGenerated)
    {
        var text = new StringBuilder(local).Append(' ').Append(column["type"]);
        text.Append(column["collation"] is { } collation ? " COLLATE " + collation : string.Empty);
        if (column["generated"] is { } generated)
        {
            var stored = generated.EndsWith(" stored", StringComparison.Ordinal);
            if (postgres && stored)
            {
                text.Append(" GENERATED ALWAYS AS (").Append(generated[..^" stored".Length]).Append(") STORED");
            }
            else
            {
                notGenerated.Add($"column {column.Name} generated: {generated} (write its expression)");
            }
        }

        text.Append(column["identity"] is { } identity ? $" GENERATED {identity.ToUpperInvariant()} AS IDENTITY" : string.Empty);
        text.Append(column["nullable"] == "no" ? " NOT NULL" : string.Empty);
        return text.Append(column["default"] is { } value ? " DEFAULT " + value : string.Empty).ToString();
    }

    // "GRANT SELECT TO app" is the object's line: "GRANT SELECT ON TABLE t TO app".
    private static string Grants(SchemaObject item, string noun)
    {
        var text = new StringBuilder();
        foreach (var line in (item["privileges"] ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = line.IndexOf(line.StartsWith("GRANT", StringComparison.Ordinal) ? " TO " : " FROM ", StringComparison.Ordinal);
            text.Append('\n').Append(line[..at]).Append(" ON ").Append(noun).Append(' ').Append(item.Name).Append(line[at..]).Append(';');
        }

        return text.ToString();
    }

    private static string Comment(SchemaObject item, string noun, string? name = null) =>
        item["comment"] is { } note ? $"\nCOMMENT ON {noun} {name ?? item.Name} IS {Literal(note)};" : string.Empty;

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Statement(string sql) => sql.TrimEnd().EndsWith(';') ? sql.TrimEnd() : sql.TrimEnd() + ";";

    /// <summary>A part's name within its table ("public.orders.orders_pkey" on public.orders: "orders_pkey").</summary>
    public static string Local(SchemaObject part, string table) => part.Name.StartsWith(table + ".", StringComparison.Ordinal) ? part.Name[(table.Length + 1)..] : part.Name;

    // SQLite keeps no name for a key; the reader names it from what it covers, so only a CHECK named by the user is named again.
    [GeneratedRegex("^(?!primary_key$|unique_|fk_|check_[0-9a-f]{8}$)")]
    private static partial Regex NamedByUser();
}
