using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// A database's schema in canonical form: every object once, sorted the way <see cref="SchemaText"/> writes them, so the
/// same schema gives the same snapshot whatever order the catalogs answered in.
/// </summary>
public sealed class SchemaSnapshot
{
    public SchemaSnapshot(SqlDialect dialect, IEnumerable<SchemaObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        Dialect = dialect;
        var sorted = objects.ToList();
        sorted.Sort(SchemaObject.Compare);
        Objects = sorted;
    }

    public SqlDialect Dialect { get; }

    public IReadOnlyList<SchemaObject> Objects { get; }

    /// <summary>The snapshot as stable text (see <see cref="SchemaText"/>).</summary>
    public string ToText() => SchemaText.Write(this);
}
