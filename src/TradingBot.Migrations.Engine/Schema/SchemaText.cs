using System.Text;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// The stable text form of a schema, made to diff well in a pull request: a header line, then one block per object in
/// snapshot order, each "kind name" (with "on table" for a table's parts) and its properties as indented "name: value"
/// lines; a value's further lines are indented four spaces. Only '\n' line ends, no trailing spaces, no blank line inside
/// a block, so the same schema always gives the same bytes.
/// </summary>
public static class SchemaText
{
    private const string HeaderPrefix = "-- schema of a ";
    private const string HeaderSuffix = " database, written by Export-MigrationSchema; regenerate it, do not edit it";

    public static string Write(SchemaSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder().Append(HeaderPrefix).Append(DialectName(snapshot.Dialect)).Append(HeaderSuffix).Append('\n');
        foreach (var item in snapshot.Objects)
        {
            text.Append('\n').Append(Block(item));
        }

        return text.ToString();
    }

    /// <summary>One object's block, ending with a line end.</summary>
    public static string Block(SchemaObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = new StringBuilder().Append(KindName(item.Kind)).Append(' ').Append(item.Name);
        if (item.Table is not null)
        {
            text.Append(" on ").Append(item.Table);
        }

        text.Append('\n');
        foreach (var property in item.Properties)
        {
            var lines = Normalize(property.Value).Split('\n');
            text.Append("  ").Append(property.Name).Append(':');
            text.Append(lines[0].Length == 0 ? string.Empty : " " + lines[0]).Append('\n');
            foreach (var line in lines.Skip(1))
            {
                text.Append("    ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A value as the text keeps it: lines without trailing space, no blank lines, no leading or trailing line end.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Join('\n', value.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)).TrimStart();
    }

    /// <summary>The kind as the text writes it: lower case, words joined by '_' ("event_trigger").</summary>
    public static string KindName(SchemaObjectKind kind) => kind == SchemaObjectKind.EventTrigger ? "event_trigger" : kind.ToString().ToLowerInvariant();

    internal static string DialectName(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? "postgresql" : "sqlite";

    /// <summary>Reads text that <see cref="Write"/> wrote (a committed schema file) back into a snapshot.</summary>
    public static SchemaSnapshot Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length == 0 || !lines[0].StartsWith(HeaderPrefix, StringComparison.Ordinal) || !lines[0].EndsWith(HeaderSuffix, StringComparison.Ordinal))
        {
            throw Invalid(source, 1, "it does not start with the header line Export-MigrationSchema writes");
        }

        var dialectName = lines[0][HeaderPrefix.Length..^HeaderSuffix.Length];
        var dialect = dialectName switch
        {
            "postgresql" => SqlDialect.PostgreSql,
            "sqlite" => SqlDialect.Sqlite,
            _ => throw Invalid(source, 1, $"'{dialectName}' is not a database this module knows"),
        };
        var objects = new List<SchemaObject>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var (kind, name, table) = ParseHeader(lines[i], source, i + 1);
            var properties = new List<SchemaProperty>();
            while (i + 1 < lines.Length && lines[i + 1].StartsWith("  ", StringComparison.Ordinal) && !lines[i + 1].StartsWith("    ", StringComparison.Ordinal))
            {
                var line = lines[++i];
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 3)
                {
                    throw Invalid(source, i + 1, "an property line is not '  name: value'");
                }

                var value = new StringBuilder(line[(colon + 1)..].TrimStart());
                while (i + 1 < lines.Length && lines[i + 1].StartsWith("    ", StringComparison.Ordinal))
                {
                    value.Append('\n').Append(lines[++i][4..]);
                }

                properties.Add(new SchemaProperty(line[2..colon], value.ToString()));
            }

            objects.Add(new SchemaObject(kind, name, table, properties));
        }

        return new SchemaSnapshot(dialect, objects);
    }

    private static (SchemaObjectKind Kind, string Name, string? Table) ParseHeader(string line, string source, int number)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var kinds = Enum.GetValues<SchemaObjectKind>().Where(k => space > 0 && KindName(k) == line[..space]).ToList();
        if (kinds.Count != 1)
        {
            throw Invalid(source, number, $"'{line}' is not an object line ('kind name')");
        }

        var kind = kinds[0];
        var position = space + 1;
        var name = ReadName(line, ref position);
        if (position == line.Length)
        {
            return (kind, name, null);
        }

        if (!line.AsSpan(position).StartsWith(" on ", StringComparison.Ordinal))
        {
            throw Invalid(source, number, $"'{line}' is not an object line ('kind name' or 'kind name on table')");
        }

        position += 4;
        var table = ReadName(line, ref position);
        return position == line.Length ? (kind, name, table) : throw Invalid(source, number, $"'{line}' has text after the table name");
    }

    // A dotted name whose parts are plain words or "quoted" (with "" for a quote inside); a function's ends in its arguments.
    private static string ReadName(string line, ref int position)
    {
        var start = position;
        var quoted = false;
        var depth = 0;
        while (position < line.Length && (quoted || depth > 0 || line[position] != ' '))
        {
            quoted ^= line[position] == '"';
            depth += quoted ? 0 : line[position] == '(' ? 1 : line[position] == ')' ? -1 : 0;
            position++;
        }

        return line[start..position];
    }

    private static MigrationException Invalid(string source, int line, string problem) =>
        new(MigrationErrors.InvalidSchemaFile, $"{source} is not a schema file Export-MigrationSchema wrote: line {line}: {problem}.")
        {
            FilePath = source,
            RecommendedAction = "Write it again with Export-MigrationSchema -OutFile, and do not edit it by hand.",
        };
}
