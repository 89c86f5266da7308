using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Adoption;

/// <summary>A baseline's evidence from the migrations replayed one at a time into a scratch database, against the live schema.</summary>
[Collection("Scratch databases")]
public sealed class BaselineEvidenceTests
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_missing_view_is_its_files_conflict_and_a_table_above_the_version_already_there_is_one_too(SqlDialect dialect)
    {
        using var folder = new MigrationFolder()
            .Sql("1.0.0", "trades", "CREATE TABLE trades (id integer PRIMARY KEY, price integer);\n")
            .Sql("1.0.1", "prices", "CREATE VIEW trade_prices AS SELECT id, price FROM trades;\n")
            .Sql("1.0.2", "price-index", "CREATE INDEX trades_price_idx ON trades (price);\n")
            .Sql("1.0.3", "fills", "CREATE TABLE fills (id integer PRIMARY KEY);\n");
        using var database = TestDatabase.Create(dialect);
        if (database.SqliteFile is { } file)
        {
            File.WriteAllBytes(file, []); // An empty file is an empty SQLite database, which the test's read-write connection needs to exist.
        }

        database.Execute("CREATE TABLE trades (id integer PRIMARY KEY, price integer)");
        database.Execute("CREATE INDEX trades_price_idx ON trades (price)");
        database.Execute("CREATE TABLE fills (id integer PRIMARY KEY)");

        var plan = MigrationUseCases.PreviewBaseline(database.Settings(folder), MigrationVersion.Parse("1.0.2"), CancellationToken.None);

        var s = dialect == SqlDialect.PostgreSql ? "public." : string.Empty;
        Assert.Null(plan.EvidenceWarning);
        Assert.Equal([BaselineLabel.Baseline, BaselineLabel.Conflict, BaselineLabel.Baseline, BaselineLabel.Conflict], plan.Entries.Select(e => e.Label));
        Assert.Equal($"missing from the database: view {s}trade_prices", plan.Entries[1].Evidence);
        Assert.Equal($"in the database: index {s}trades_price_idx", plan.Entries[2].Evidence);
        Assert.StartsWith($"above the baseline, but already in the database: table {s}fills, column {s}fills.id, constraint ", plan.Entries[3].Evidence, StringComparison.Ordinal);
        Assert.Equal([$"table {s}fills"], plan.ExtraObjects);
    }

    [Fact]
    public void A_column_type_a_later_migration_changes_is_that_migrations_conflict_not_the_creators()
    {
        using var folder = new MigrationFolder()
            .Sql("1.0.0", "trades", "CREATE TABLE trades (id integer PRIMARY KEY, price integer, note text);\n")
            .Sql("1.0.1", "price-numeric", "ALTER TABLE trades ALTER COLUMN price TYPE numeric(12,4);\n");
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Execute("CREATE TABLE trades (id integer PRIMARY KEY, price integer, note text, extra_note text)");

        var plan = MigrationUseCases.PreviewBaseline(database.Settings(folder), MigrationVersion.Parse("1.0.1"), CancellationToken.None);

        Assert.Equal([BaselineLabel.Baseline, BaselineLabel.Conflict], plan.Entries.Select(e => e.Label));
        Assert.Equal("column public.trades.price type differs: the migrations make 'numeric(12,4)', the database has 'integer'", plan.Entries[1].Evidence);
        Assert.Equal(["column public.trades.extra_note"], plan.ExtraObjects);
    }
}
