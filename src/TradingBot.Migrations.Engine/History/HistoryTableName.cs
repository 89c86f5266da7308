using System.Text.RegularExpressions;

namespace TradingBot.Migrations.Engine.History;

/// <summary>
/// The history table's name and (PostgreSQL) schema. Both come from configuration, so they are
/// validated as plain identifiers and always quoted in SQL.
/// </summary>
public sealed partial record HistoryTableName
{
    public const string DefaultTable = "schema_migrations";

    public HistoryTableName(string table = DefaultTable, string? schema = null)
    {
        Table = Validate(table, "history table");
        Schema = schema is null ? null : Validate(schema, "history schema");
    }

    public string Table { get; }

    public string? Schema { get; }

    /// <summary>"schema"."table" or "table", quoted for either dialect.</summary>
    public string Quoted => Schema is null ? Quote(Table) : $"{Quote(Schema)}.{Quote(Table)}";

    /// <summary>The audit table Repair-Migration writes to, beside the history table: &lt;table&gt;_repairs.</summary>
    public HistoryTableName RepairLog => new((Table.Length > 55 ? Table[..55] : Table) + "_repairs", Schema);

    public override string ToString() => Schema is null ? Table : $"{Schema}.{Table}";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Validate(string name, string what)
    {
        if (!Identifier().IsMatch(name ?? string.Empty))
        {
            throw new MigrationException(MigrationErrors.InvalidHistoryTableName,
                $"'{name}' is not a valid {what} name: use 1 to 63 letters, digits and underscores, starting with a letter or underscore.");
        }

        return name!;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
