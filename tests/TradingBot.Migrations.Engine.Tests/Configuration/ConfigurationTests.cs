using Microsoft.Data.Sqlite;
using Npgsql;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Tests.Configuration;

/// <summary>
/// The configuration file's meaning (keys, types, environments) and environment resolution: precedence,
/// variables, timeouts in the driver's connection string. URL parsing itself is DatabaseTargetParserTests'.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private const string Password = "p@ss:w/rd";
    private readonly string folder = Directory.CreateTempSubdirectory("tbm-config-").FullName;
    private readonly Dictionary<string, string?> variables = new(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FilePath => Path.Combine(folder, "migrations.psd1");

    private static ConfigurationEntry Entry(string key, object? value, int line = 1) => new(key, value, line);

    private static List<ConfigurationEntry> Table(params ConfigurationEntry[] entries) => [.. entries];

    private ProjectConfiguration Standard() => ProjectConfiguration.FromEntries(FilePath, Table(
        Entry("MigrationsPath", "db/migrations", 2),
        Entry("HistoryTable", "applied", 3),
        Entry("HistorySchema", "ops", 4),
        Entry("DefaultEnvironment", "dev", 5),
        Entry("Environments", Table(
            Entry("dev", Table(Entry("Database", "sqlite:./dev.db", 7)), 7),
            Entry("qa", Table(Entry("DatabaseUrlVariable", "QA_DATABASE_URL", 8), Entry("CommandTimeoutSeconds", 45L, 8)), 8),
            Entry("prod", Table(
                Entry("DatabaseUrlVariable", "PROD_DATABASE_URL", 10),
                Entry("Protected", true, 11),
                Entry("LockTimeoutSeconds", 60L, 12),
                Entry("ConnectTimeoutSeconds", 10L, 13),
                Entry("CommandTimeoutSeconds", 600L, 14),
                Entry("PostgresLockTimeout", "5s", 15),
                Entry("PostgresStatementTimeout", "10min", 16),
                Entry("PostgresLockRetries", 3L, 17)), 9)), 6)));

    private ResolvedTarget Resolve(string? database = null, string? environment = null, ProjectConfiguration? configuration = null) =>
        EnvironmentResolver.Resolve(new TargetRequest(database, environment, configuration, folder, name => variables.GetValueOrDefault(name)));

    private static MigrationException Refused(Action action) => Assert.Throws<MigrationException>(action);

    [Fact]
    public void Every_key_of_a_full_file_is_read()
    {
        var configuration = Standard();

        Assert.Equal(Path.Combine(folder, "db", "migrations"), configuration.ResolveMigrationsFolder());
        Assert.Equal("applied", configuration.HistoryTable);
        Assert.Equal("ops", configuration.HistorySchema);
        Assert.Equal("dev", configuration.DefaultEnvironment);
        Assert.Equal(["dev", "prod", "qa"], configuration.EnvironmentNames);
        var prod = configuration.GetEnvironment("PROD");
        Assert.True(prod.Protected);
        Assert.Equal(("PROD_DATABASE_URL", 60, 10, 600, "5s", "10min"),
            (prod.DatabaseUrlVariable, prod.LockTimeoutSeconds, prod.ConnectTimeoutSeconds, prod.CommandTimeoutSeconds, prod.PostgresLockTimeout, prod.PostgresStatementTimeout));
        Assert.Equal(3, prod.PostgresLockRetries);
        Assert.False(configuration.GetEnvironment("dev").Protected);
        Assert.Null(configuration.GetEnvironment("dev").PostgresLockRetries);
    }

    [Fact]
    public void An_unknown_top_level_key_names_the_file_line_and_key()
    {
        var error = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(Entry("Enviroments", Table(), 3))));

        Assert.Equal("UnknownConfigurationKey", error.ErrorId);
        Assert.Equal(MigrationErrorKind.InvalidConfiguration, error.Kind);
        Assert.StartsWith(FilePath + ":3: 'Enviroments'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal(FilePath, error.FilePath);
    }

    [Theory]
    [InlineData("Protected", "yes", "$true or $false")]
    [InlineData("LockTimeoutSeconds", "60", "whole number of seconds")]
    [InlineData("ConnectTimeoutSeconds", 0L, "whole number of seconds")]
    [InlineData("CommandTimeoutSeconds", 1.5, "whole number of seconds")]
    [InlineData("PostgresLockTimeout", "5 seconds", "PostgreSQL duration")]
    [InlineData("PostgresStatementTimeout", 10L, "PostgreSQL duration")]
    [InlineData("PostgresLockRetries", -1L, "whole number from 0 to 100")]
    [InlineData("PostgresLockRetries", "3", "whole number from 0 to 100")]
    [InlineData("Database", true, "non-empty string")]
    public void A_value_of_the_wrong_type_names_its_key_and_line(string key, object value, string expected)
    {
        var entries = Table(Entry("Environments", Table(Entry("prod", Table(
            Entry(key == "Database" ? "DatabaseUrlVariable" : "Database", key == "Database" ? "X_URL" : "sqlite:./p.db", 3),
            Entry(key, value, 4)), 2)), 1));

        var error = Refused(() => ProjectConfiguration.FromEntries(FilePath, entries));

        Assert.Equal("InvalidConfigurationValue", error.ErrorId);
        Assert.Contains($":4: '{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_needs_exactly_one_database_source()
    {
        var neither = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(Entry("Environments", Table(Entry("qa", Table(Entry("Protected", false, 3)), 2))))));
        var both = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(Entry("Environments", Table(Entry("qa", Table(
            Entry("Database", "sqlite:./a.db", 3), Entry("DatabaseUrlVariable", "QA_URL", 4)), 2))))));

        Assert.Equal("MissingConfigurationValue", neither.ErrorId);
        Assert.Contains(":2: the environment 'qa'", neither.Message, StringComparison.Ordinal);
        Assert.Equal("MissingConfigurationValue", both.ErrorId);
    }

    [Fact]
    public void A_variable_value_where_a_variable_name_belongs_is_refused_without_echoing_more_than_the_file_holds()
    {
        var error = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(Entry("Environments", Table(Entry("qa", Table(
            Entry("DatabaseUrlVariable", "postgres://app@db/qa", 5)), 4))))));

        Assert.Equal("InvalidConfigurationValue", error.ErrorId);
        Assert.Contains("not an environment variable name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_environment_that_is_not_defined_is_refused_listing_the_defined_ones()
    {
        var error = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(
            Entry("DefaultEnvironment", "staging", 2),
            Entry("Environments", Table(Entry("dev", Table(Entry("Database", "sqlite:./dev.db"))), Entry("qa", Table(Entry("Database", "sqlite:./qa.db")))), 3))));

        Assert.Equal("UnknownEnvironment", error.ErrorId);
        Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev, qa", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_case_insensitive_but_duplicates_are_refused()
    {
        var error = Refused(() => ProjectConfiguration.FromEntries(FilePath, Table(Entry("historytable", "a", 1), Entry("HistoryTable", "b", 2))));

        Assert.Equal("DuplicateConfigurationKey", error.ErrorId);
        Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_environment_lists_the_known_ones()
    {
        var error = Refused(() => Resolve(environment: "staging", configuration: Standard()));

        Assert.Equal("UnknownEnvironment", error.ErrorId);
        Assert.Contains("'staging'", error.Message, StringComparison.Ordinal);
        Assert.Contains("known: dev, prod, qa", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_without_a_configuration_file_says_so()
    {
        var error = Refused(() => Resolve(environment: "qa"));

        Assert.Equal("ConfigurationFileNotFound", error.ErrorId);
        Assert.Contains("migrations.psd1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_variable_is_named_and_an_empty_one_counts_as_missing()
    {
        var missing = Refused(() => Resolve(environment: "qa", configuration: Standard()));
        variables["QA_DATABASE_URL"] = "  ";
        var empty = Refused(() => Resolve(environment: "qa", configuration: Standard()));

        Assert.Equal("EnvironmentVariableNotSet", missing.ErrorId);
        Assert.Contains("QA_DATABASE_URL", missing.Message, StringComparison.Ordinal);
        Assert.Equal("EnvironmentVariableNotSet", empty.ErrorId);
    }

    [Fact]
    public void Precedence_is_Database_then_Environment_then_DATABASE_URL_then_DefaultEnvironment_then_dev_db()
    {
        var configuration = Standard();
        variables["QA_DATABASE_URL"] = "sqlite:./qa.db";
        variables["DATABASE_URL"] = "sqlite:./url.db";

        Assert.Equal(("-Database", null), Describe(Resolve("sqlite:./explicit.db", "qa", configuration)));
        Assert.Equal(("-Environment", "qa"), Describe(Resolve(null, "qa", configuration)));
        Assert.Equal(("$env:DATABASE_URL", null), Describe(Resolve(null, null, configuration)));
        variables.Remove("DATABASE_URL");
        Assert.Equal(("DefaultEnvironment", "dev"), Describe(Resolve(null, null, configuration)));
        Assert.Equal(("default", null), Describe(Resolve()));
        Assert.Equal(Path.Combine(folder, "dev.db"), Resolve().Target.DisplayName);

        static (string, string?) Describe(ResolvedTarget resolved) => (resolved.Source, resolved.Target.Environment);
    }

    [Fact]
    public void A_literal_sqlite_path_is_relative_to_the_configuration_file()
    {
        var sub = Directory.CreateDirectory(Path.Combine(folder, "project")).FullName;
        var configuration = ProjectConfiguration.FromEntries(Path.Combine(sub, "migrations.psd1"),
            Table(Entry("Environments", Table(Entry("dev", Table(Entry("Database", "sqlite:./dev.db")))))));

        var resolved = Resolve(environment: "dev", configuration: configuration);

        Assert.Equal(Path.Combine(sub, "dev.db"), resolved.Target.DisplayName);
        Assert.Equal("dev", resolved.Target.Environment);
    }

    [Fact]
    public void A_protected_environment_is_marked_on_the_resolved_target()
    {
        variables["PROD_DATABASE_URL"] = "postgres://app@db.internal/trading";

        Assert.True(Resolve(environment: "prod", configuration: Standard()).IsProtected);
        Assert.False(Resolve(database: "postgres://app@db.internal/trading").IsProtected);
    }

    [Fact]
    public void PostgreSQL_connect_and_command_timeouts_come_from_the_environment()
    {
        variables["PROD_DATABASE_URL"] = "postgres://app:" + Uri.EscapeDataString(Password) + "@[2001:db8::1]/trading?sslmode=require&connect_timeout=3";

        var target = Resolve(environment: "prod", configuration: Standard()).Target;

        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(10, builder.Timeout);
        Assert.Equal(600, builder.CommandTimeout);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(Password, builder.Password);
        Assert.Equal("postgres://app@[2001:db8::1]:5432/trading", target.DisplayName);
        Assert.Equal("prod", target.Environment);
    }

    [Fact]
    public void An_environment_without_timeouts_keeps_the_urls_own()
    {
        variables["QA_DATABASE_URL"] = "postgresql://app@db/qa?connect_timeout=3&command_timeout=20";
        var configuration = ProjectConfiguration.FromEntries(FilePath,
            Table(Entry("Environments", Table(Entry("qa", Table(Entry("DatabaseUrlVariable", "QA_DATABASE_URL")))))));

        var builder = new NpgsqlConnectionStringBuilder(Resolve(environment: "qa", configuration: configuration).Target.ConnectionString);

        Assert.Equal(3, builder.Timeout);
        Assert.Equal(20, builder.CommandTimeout);
    }

    [Fact]
    public void The_password_stays_redacted_after_timeouts_are_applied()
    {
        variables["PROD_DATABASE_URL"] = "postgres://app:" + Uri.EscapeDataString(Password) + "@db/trading";

        var target = Resolve(environment: "prod", configuration: Standard()).Target;

        Assert.DoesNotContain(Password, target.ToString(), StringComparison.Ordinal);
        Assert.Equal("failed for ***", target.Redact("failed for " + Password));
    }

    [Fact]
    public void An_Npgsql_keyword_string_in_a_variable_gets_the_environment_timeouts()
    {
        variables["PROD_DATABASE_URL"] = "Host=db;Database=trading;Username=app;Password=secret;Timeout=2";

        var builder = new NpgsqlConnectionStringBuilder(Resolve(environment: "prod", configuration: Standard()).Target.ConnectionString);

        Assert.Equal(10, builder.Timeout);
        Assert.Equal(600, builder.CommandTimeout);
    }

    [Fact]
    public void SQLite_command_timeout_is_the_default_timeout()
    {
        variables["QA_DATABASE_URL"] = "sqlite:./qa.db";

        var target = Resolve(environment: "qa", configuration: Standard()).Target;

        Assert.Equal(45, new SqliteConnectionStringBuilder(target.ConnectionString).DefaultTimeout);
        Assert.Equal(Path.Combine(folder, "qa.db"), target.DisplayName);
    }
}
