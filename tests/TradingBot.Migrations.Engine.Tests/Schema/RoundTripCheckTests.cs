using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Schema;

// With SchemaReplayTests, whose counts of scratch databases another class's replays running at once would upset.
[Collection("Scratch databases")]
public sealed class RoundTripCheckTests
{
    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Each_migration_is_reported_lossless_differing_or_without_a_down(SqlDialect dialect)
    {
        using var folder = new MigrationFolder()
            .Table("1.0.0", "trades")
            .Sql("1.0.1", "index", "CREATE INDEX IF NOT EXISTS trades_id_idx ON trades (id);\n", "SELECT 1;\n")
            .Sql("1.0.2", "orders", "CREATE TABLE orders (id integer PRIMARY KEY);\n");
        using var database = TestDatabase.Create(dialect);
        var seen = new List<string>();

        var results = MigrationUseCases.CheckRoundTrips(database.Settings(folder), r => seen.Add(r.Version.Text), CancellationToken.None);

        Assert.Equal(["1.0.0 Lossless", "1.0.1 Differs", "1.0.2 NoDown"], results.Select(r => $"{r.Version} {r.Outcome}"));
        Assert.Equal(["1.0.0", "1.0.1", "1.0.2"], seen);
        var prefix = dialect == SqlDialect.PostgreSql ? "public." : string.Empty;
        var leftOver = Assert.Single(results[1].DownDifferences);
        Assert.Equal((SchemaObjectKind.Index, $"{prefix}trades_id_idx", SchemaChange.Extra), (leftOver.Kind, leftOver.Name, leftOver.Change));
        Assert.Empty(results[1].ReupDifferences);
        Assert.Equal($"after the down, index {prefix}trades_id_idx is left over", results[1].Reason);
        Assert.False(database.TableExists("trades"));
    }

    [Fact]
    public void A_down_that_forgets_a_constraint_is_caught()
    {
        using var folder = new MigrationFolder()
            .Table("1.0.0", "trades")
            .Sql("1.0.1", "checks",
                "ALTER TABLE trades DROP CONSTRAINT IF EXISTS id_positive, ADD CONSTRAINT id_positive CHECK (id > 0) NOT VALID;\n",
                "SELECT 1;\n");
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);

        var result = MigrationUseCases.CheckRoundTrips(database.Settings(folder), null, CancellationToken.None)[1];

        Assert.Equal(RoundTripOutcome.Differs, result.Outcome);
        Assert.Equal(["Constraint public.trades.id_positive extra"], result.DownDifferences.Select(d => $"{d.Kind} {d.Name} {d.Description}"));
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void An_up_that_fails_after_its_down_ends_the_check_with_the_reason_and_the_scratch_database_goes(SqlDialect dialect)
    {
        using var folder = new MigrationFolder()
            .Table("1.0.0", "trades")
            .Sql("1.0.1", "price", "ALTER TABLE trades ADD COLUMN price REAL;\n", "SELECT 1;\n")
            .Table("1.0.2", "orders");
        using var database = TestDatabase.Create(dialect);

        var results = MigrationUseCases.CheckRoundTrips(database.Settings(folder), null, CancellationToken.None);

        Assert.Equal(["1.0.0 Lossless", "1.0.1 Failed"], results.Select(r => $"{r.Version} {r.Outcome}"));
        var prefix = dialect == SqlDialect.PostgreSql ? "public." : string.Empty;
        Assert.StartsWith($"after the down, column {prefix}trades.price is left over; then the up failed again: ", results[1].Reason, StringComparison.Ordinal);
    }
}
