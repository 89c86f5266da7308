using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Fleet;

namespace TradingBot.Migrations.Engine.Tests.Fleet;

public sealed class FleetShardTests
{
    private static readonly IReadOnlyList<DatabaseTarget> Tenants =
        Enumerable.Range(1, 300).Select(i => DatabaseTargetParser.Parse($"postgres://app:secret{i}@db{i % 7}.example.com:5432/tenant_{i}", "/")).ToList();

    private static string? NoVariables(string name) => null;

    [Fact]
    public void Shards_one_to_three_of_three_cover_every_target_exactly_once()
    {
        var shards = Enumerable.Range(1, 3).Select(i => new FleetShard(i, 3).Select(Tenants)).ToList();

        Assert.Equal(Tenants.Select(t => t.DisplayName).Order(),
            shards.SelectMany(s => s).Select(t => t.DisplayName).Order());
        Assert.All(shards, s => Assert.InRange(s.Count, 60, 140));
    }

    [Fact]
    public void A_shard_is_the_same_whatever_the_order_or_the_rest_of_the_list()
    {
        var shard = FleetShard.Parse("2/4", NoVariables);
        var shuffled = Tenants.OrderBy(t => t.DisplayName.GetHashCode(StringComparison.Ordinal)).ToList();

        Assert.Equal(shard.Select(Tenants).Select(t => t.DisplayName).Order(), shard.Select(shuffled).Select(t => t.DisplayName).Order());
        Assert.Equal(shard.Select(Tenants.Take(150)).Select(t => t.DisplayName), shard.Select(Tenants).Take(shard.Select(Tenants.Take(150)).Count).Select(t => t.DisplayName));
    }

    [Fact]
    public void The_split_ignores_the_password()
    {
        var withOne = DatabaseTargetParser.Parse("postgres://app:one@db:5432/tenant_1", "/");
        var withOther = DatabaseTargetParser.Parse("postgres://app:two@db:5432/tenant_1", "/");

        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal(new FleetShard(i, 5).Contains(withOne), new FleetShard(i, 5).Contains(withOther)));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("1-3")]
    [InlineData("a/b")]
    [InlineData("")]
    public void A_malformed_shard_is_refused_saying_what_to_write(string text)
    {
        var error = Assert.Throws<MigrationException>(() => FleetShard.Parse(text, NoVariables));

        Assert.Equal("InvalidShard", error.ErrorId);
        Assert.Contains("i/n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CircleCi_reads_the_node_index_and_total_it_sets()
    {
        var variables = new Dictionary<string, string> { ["CIRCLE_NODE_INDEX"] = "0", ["CIRCLE_NODE_TOTAL"] = "4" };

        Assert.Equal(new FleetShard(1, 4), FleetShard.Parse("CircleCI", variables.GetValueOrDefault));
        Assert.Equal("InvalidShard", Assert.Throws<MigrationException>(() => FleetShard.Parse("circleci", NoVariables)).ErrorId);
    }
}
