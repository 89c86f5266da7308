using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Tests.Configuration;

/// <summary>An environment that names a fleet: a list of databases in the file, or a variable with one URL per line.</summary>
public sealed class FleetEnvironmentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tbm-fleet-config-").FullName;
    private readonly Dictionary<string, string?> variables = new(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ConfigurationEntry Entry(string key, object? value, int line = 1) => new(key, value, line);

    private ProjectConfiguration Configuration(params ConfigurationEntry[] environment) => ProjectConfiguration.FromEntries(Path.Combine(folder, "migrations.psd1"),
        [Entry("Environments", new List<ConfigurationEntry> { Entry("tenants", environment.ToList(), 2) }, 1)]);

    private TargetRequest Request(ProjectConfiguration configuration) =>
        new(null, "tenants", configuration, folder, name => variables.GetValueOrDefault(name));

    [Fact]
    public void A_list_of_databases_names_each_of_them_relative_to_the_file_and_with_the_environment()
    {
        var configuration = Configuration(Entry("Database", new[] { "sqlite:./t1.db", "sqlite:./t2.db" }, 3), Entry("CommandTimeoutSeconds", 30L, 4));

        var targets = EnvironmentResolver.ResolveAll(Request(configuration));

        Assert.Equal([Path.Combine(folder, "t1.db"), Path.Combine(folder, "t2.db")], targets.Select(t => t.Target.DisplayName));
        Assert.All(targets, t => Assert.Equal("tenants", t.Target.Environment));
    }

    [Fact]
    public void A_variable_with_one_url_per_line_names_each_line()
    {
        variables["TENANT_DATABASE_URLS"] = "postgres://app:one@db/t1\r\n\r\npostgres://app:two@db/t2\n";
        var configuration = Configuration(Entry("DatabaseUrlVariable", "TENANT_DATABASE_URLS", 3));

        var targets = EnvironmentResolver.ResolveAll(Request(configuration));

        Assert.Equal(["postgres://app@db:5432/t1", "postgres://app@db:5432/t2"], targets.Select(t => t.Target.DisplayName));
    }

    [Fact]
    public void A_command_that_acts_on_one_database_refuses_a_list_saying_so()
    {
        var configuration = Configuration(Entry("Database", new[] { "sqlite:./t1.db", "sqlite:./t2.db" }, 3));

        var error = Assert.Throws<MigrationException>(() => EnvironmentResolver.Resolve(Request(configuration)));

        Assert.Equal("OneTargetOnly", error.ErrorId);
        Assert.Contains("'tenants' names 2 databases", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_is_refused_at_its_line()
    {
        var error = Assert.Throws<MigrationException>(() => Configuration(Entry("Database", Array.Empty<string>(), 3)));

        Assert.Equal("InvalidConfigurationValue", error.ErrorId);
        Assert.Equal(3, error.Line);
    }
}
