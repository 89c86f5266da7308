using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Schema;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Reads a live database's whole schema from its catalogs into the canonical model; each dialect answers from its own.</summary>
internal interface ISchemaReader
{
    /// <summary>Every user object, without the history table <paramref name="historyTable"/> and its repair log.</summary>
    SchemaSnapshot Read(HistoryTableName historyTable, CancellationToken cancellation);
}
