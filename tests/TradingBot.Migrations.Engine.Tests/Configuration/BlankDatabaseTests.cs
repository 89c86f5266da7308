using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Tests.Configuration;

public sealed class BlankDatabaseTests
{
    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    public void A_blank_Database_is_refused_rather_than_falling_back_to_another_database(string blank)
    {
        var request = new TargetRequest(blank, null, null, Path.GetTempPath(), name => name == "DATABASE_URL" ? "sqlite:./elsewhere.db" : null);

        var error = Assert.Throws<MigrationException>(() => EnvironmentResolver.Resolve(request));

        Assert.Equal("EmptyDatabase", error.ErrorId);
    }
}
