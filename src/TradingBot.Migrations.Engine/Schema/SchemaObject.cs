namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// The kinds of schema object, in the order the text lists them: a table's columns, constraints, indexes, triggers, policies
/// and rules follow the table.
/// </summary>
public enum SchemaObjectKind
{
    Extension,
    Schema,
    Enum,
    Domain,
    Sequence,
    Table,
    Column,
    Constraint,
    Index,
    Trigger,
    Policy,
    Rule,
    View,
    Function,
    EventTrigger,
}

/// <summary>One named fact of a schema object (a column's type, an index's predicate), as text.</summary>
public sealed record SchemaProperty(string Name, string Value);

/// <summary>
/// One object of a schema: its kind, its qualified name (quoted where the name needs it), the table it belongs to (for
/// columns, constraints, indexes, triggers, policies and rules) and its properties, in the order the reader gives them.
/// </summary>
public sealed record SchemaObject(SchemaObjectKind Kind, string Name, string? Table, IReadOnlyList<SchemaProperty> Properties)
{
    public string? this[string property] => Properties.FirstOrDefault(a => a.Name == property)?.Value;

    /// <summary>
    /// The statement that creates it, where the catalogs give it and the text keeps only a hash of it (a PostgreSQL
    /// function's pg_get_functiondef): for a migration written from drift. Neither written nor compared.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>The type's own kinds first, then by owning table, then the table's parts, then by name: the order of the text.</summary>
    internal static int Compare(SchemaObject? x, SchemaObject? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var result = GroupRank(x).CompareTo(GroupRank(y));
        result = result != 0 ? result : string.CompareOrdinal(x.Table ?? x.Name, y.Table ?? y.Name);
        result = result != 0 ? result : (x.Table is null ? 0 : (int)x.Kind).CompareTo(y.Table is null ? 0 : (int)y.Kind);
        return result != 0 ? result : string.CompareOrdinal(x.Name, y.Name);
    }

    private static int GroupRank(SchemaObject o) => o.Table is null ? (int)o.Kind : (int)SchemaObjectKind.Table;

    public bool Equals(SchemaObject? other) =>
        other is not null && Kind == other.Kind && Name == other.Name && Table == other.Table && Properties.SequenceEqual(other.Properties);

    public override int GetHashCode() => HashCode.Combine(Kind, Name, Table);
}
