using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Sql;
using Xunit;

namespace TradingBot.Migrations.Engine.Tests.Adoption;

/// <summary>The objects an up script creates and drops, as a baseline compares them with the live schema.</summary>
public sealed class ScriptEffectsTests
{
    private static IEnumerable<string> Changes(string sql, SqlDialect dialect) =>
        ScriptEffects.Of(sql, dialect).Select(c => $"{(c.Creates ? "+" : "-")}{c.Object}{(c.IfNotExists ? "?" : string.Empty)}");

    [Fact]
    public void Tables_columns_and_named_indexes_are_created_in_order()
    {
        Assert.Equal(
            ["+table trades", "+column trades.id", "+column trades.symbol", "+column trades.price", "+index trades_symbol_idx"],
            Changes("CREATE TABLE Trades (id int PRIMARY KEY, \"symbol\" text);\nALTER TABLE trades ADD COLUMN price numeric;\nCREATE INDEX trades_symbol_idx ON trades (symbol);", SqlDialect.PostgreSql));
    }

    [Fact]
    public void Drops_and_renames_take_objects_away()
    {
        Assert.Equal(
            ["-column trades.price", "-table trades", "+table deals", "-column deals.sym", "+column deals.symbol", "-index i", "-table fills"],
            Changes("ALTER TABLE trades DROP COLUMN price;\nALTER TABLE trades RENAME TO deals;\nALTER TABLE deals RENAME COLUMN sym TO symbol;\nDROP INDEX i;\nDROP TABLE fills;", SqlDialect.PostgreSql));
    }

    [Fact]
    public void Sqlite_names_compare_without_case_and_show_in_lower_case()
    {
        Assert.Equal(["+table trades?", "+column trades.id?"], Changes("CREATE TABLE IF NOT EXISTS TRADES (Id INTEGER);", SqlDialect.Sqlite));
    }

    [Fact]
    public void Views_functions_temporary_tables_and_unnamed_indexes_are_left_out()
    {
        Assert.Empty(Changes("CREATE VIEW v AS SELECT 1;\nCREATE TEMP TABLE t (id int);\nCREATE INDEX ON trades (id);\nINSERT INTO trades VALUES (1);", SqlDialect.PostgreSql));
    }
}
