namespace TradingBot.Migrations.Engine.Databases;

/// <summary>How big a table is now: the live half of a statement's performance impact.</summary>
internal sealed record TableSize(string Table, long? Rows, long? Bytes);

/// <summary>A foreign key as it stands in the database, with what the safety checks need to know about it.</summary>
internal sealed record ForeignKeyFact(string Table, string Constraint, IReadOnlyList<string> Columns, string ReferencedTable, bool Indexed, bool Validated, long OrphanedRows);

/// <summary>Schema facts for the live safety checks; each dialect answers from its own catalog.</summary>
internal interface ISchemaInspector
{
    TableSize? SizeOf(string table, CancellationToken cancellation);

    IReadOnlyList<string> TablesWithoutPrimaryKey(CancellationToken cancellation);

    /// <summary>Every foreign key, with whether an index leads with its columns and how many rows violate it.</summary>
    IReadOnlyList<ForeignKeyFact> ForeignKeys(CancellationToken cancellation);

    /// <summary>Indexes left invalid by a failed CREATE INDEX CONCURRENTLY (PostgreSQL only).</summary>
    IReadOnlyList<string> InvalidIndexes(CancellationToken cancellation);

    /// <summary>Every user table (name without schema) with its columns: what a baseline compares the migrations with.</summary>
    IReadOnlyList<(string Table, string Column)> TableColumns(CancellationToken cancellation);

    /// <summary>Every index name (without schema), those behind keys and unique constraints included.</summary>
    IReadOnlyList<string> IndexNames(CancellationToken cancellation);
}
