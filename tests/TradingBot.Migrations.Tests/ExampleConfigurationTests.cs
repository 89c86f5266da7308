namespace TradingBot.Migrations.Tests;

/// <summary>The repository's own migrations.psd1 is valid and says what the README says.</summary>
public sealed class ExampleConfigurationTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public ExampleConfigurationTests()
    {
        session = new PowerShellSession(folder.Path);
        File.Copy(Path.Combine(RepositoryPaths.Root, "migrations.psd1"), Path.Combine(folder.Path, "migrations.psd1"));
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void The_example_defaults_to_dev_on_sqlite()
    {
        var status = session.Run("Get-MigrationStatus -Environment dev").ThrowOnError().Output.Single();

        Assert.Equal("dev", status.Properties["Environment"].Value);
        Assert.Equal(Path.Combine(folder.Path, "dev.db"), status.Properties["Target"].Value);
    }

    [Theory]
    [InlineData("qa", "QA_DATABASE_URL")]
    [InlineData("prod", "PROD_DATABASE_URL")]
    public void QA_and_production_come_from_their_variables(string environment, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is not null)
        {
            return; // a machine that really has them; do not touch it
        }

        var result = session.Run($"Get-MigrationStatus -Environment {environment}");

        Assert.Equal("EnvironmentVariableNotSet", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(variable, result.Error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_is_protected()
    {
        var result = session.Run("$env:PROD_DATABASE_URL = 'sqlite:./prod.db'; try { Invoke-Migration -Environment prod -AllowOutOfOrder } finally { $env:PROD_DATABASE_URL = $null }");

        Assert.Equal("ProtectedEnvironmentOverrideRefused", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
    }
}
