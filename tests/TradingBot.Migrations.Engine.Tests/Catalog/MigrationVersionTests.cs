using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Engine.Tests.Catalog;

public sealed class MigrationVersionTests
{
    [Fact]
    public void Dotted_versions_compare_part_by_part_so_1_0_10_comes_after_1_0_9()
    {
        Assert.True(MigrationVersion.Parse("1.0.10") > MigrationVersion.Parse("1.0.9"));
        Assert.True(MigrationVersion.Parse("2") > MigrationVersion.Parse("1.99.99"));
        Assert.True(MigrationVersion.Parse("1.0.2") < MigrationVersion.Parse("1.1"));
    }

    [Fact]
    public void Sorting_orders_versions_numerically_not_as_text()
    {
        var sorted = new[] { "1.0.10", "1.0.9", "1.0.2", "1.0.1", "1.1" }.Select(MigrationVersion.Parse).Order().Select(v => v.Text);

        Assert.Equal(["1.0.1", "1.0.2", "1.0.9", "1.0.10", "1.1"], sorted);
    }

    [Fact]
    public void Timestamps_parse_as_timestamps_and_compare_as_numbers()
    {
        var earlier = MigrationVersion.Parse("20261124093000");
        var later = MigrationVersion.Parse("20261124093001");

        Assert.True(earlier.IsTimestamp);
        Assert.True(MigrationVersion.Parse("202611240930").IsTimestamp);
        Assert.False(MigrationVersion.Parse("1.0.2").IsTimestamp);
        Assert.True(later > earlier);
    }

    [Fact]
    public void Trailing_zero_parts_do_not_matter_so_1_0_equals_1_0_0()
    {
        var short_ = MigrationVersion.Parse("1.0");
        var long_ = MigrationVersion.Parse("1.0.0");

        Assert.Equal(short_, long_);
        Assert.True(short_ == long_);
        Assert.Equal(short_.GetHashCode(), long_.GetHashCode());
        Assert.Single(new HashSet<MigrationVersion> { short_, long_ });
        Assert.NotEqual(MigrationVersion.Parse("1.0.1"), long_);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("abc", "'abc' is not a version: use dotted numbers such as 1.0.2, or a UTC timestamp such as 20261124093000")]
    [InlineData("1.a", "'1.a' is not a version")]
    [InlineData("1..2", "'1..2' is not a version")]
    [InlineData("-1", "'-1' is not a version")]
    [InlineData("1.0.", "'1.0.' is not a version")]
    [InlineData("v1.0", "'v1.0' is not a version")]
    [InlineData("99999999999999999999", "'99999999999999999999' is not a version")]
    [InlineData("20261399093000", "'20261399093000' looks like a timestamp but is not a valid date and time (yyyyMMddHHmmss)")]
    [InlineData("20261124253000", "not a valid date and time")]
    public void Invalid_versions_are_refused_with_a_message_that_says_what_a_version_looks_like(string text, string expected)
    {
        Assert.False(MigrationVersion.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => MigrationVersion.Parse(text));
        Assert.Equal(problem, error.Message);
    }

    [Theory]
    [InlineData("1.0.9", "1.0.10")]
    [InlineData("1.0", "1.1")]
    [InlineData("7", "8")]
    [InlineData("20261124093000", "20261124093001")]
    public void NextPatch_increments_the_last_part(string version, string next)
    {
        Assert.Equal(next, MigrationVersion.Parse(version).NextPatch().Text);
    }

    [Fact]
    public void Text_keeps_the_spelling_from_the_file_name()
    {
        Assert.Equal("1.0", MigrationVersion.Parse("1.0").ToString());
        Assert.Equal("01.2", MigrationVersion.Parse("01.2").Text);
        Assert.Equal(MigrationVersion.Parse("1.2"), MigrationVersion.Parse("01.2"));
    }
}
