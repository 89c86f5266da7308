namespace TradingBot.Migrations.Tests;

/// <summary>The precedence steps that read $env:DATABASE_URL; they change the process's environment, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTestGroup
{
    public const string Name = "Process environment";
}

[Collection(ProcessEnvironmentTestGroup.Name)]
public sealed class DatabaseUrlPrecedenceTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;
    private readonly string? savedDatabaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL");

    public DatabaseUrlPrecedenceTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");
        File.WriteAllText(Path.Combine(folder.Path, "migrations.psd1"), """
            @{
                DefaultEnvironment = 'dev'
                Environments = @{
                    dev = @{ Database = 'sqlite:./from-default.db' }
                    qa  = @{ Database = 'sqlite:./from-environment.db' }
                }
            }
            """);
        Environment.SetEnvironmentVariable("DATABASE_URL", "sqlite:./from-variable.db");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DATABASE_URL", savedDatabaseUrl);
        session.Dispose();
        folder.Dispose();
    }

    private string TargetOf(string command) =>
        (string)session.Run(command).ThrowOnError().Output.Single().Properties["Target"].Value;

    [Fact]
    public void Database_then_Environment_then_DATABASE_URL_then_the_default_environment()
    {
        Assert.EndsWith("explicit.db", TargetOf("Get-MigrationStatus -Database sqlite:./explicit.db -Environment qa"), StringComparison.Ordinal);
        Assert.EndsWith("from-environment.db", TargetOf("Get-MigrationStatus -Environment qa"), StringComparison.Ordinal);
        Assert.EndsWith("from-variable.db", TargetOf("Get-MigrationStatus"), StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("DATABASE_URL", null);
        Assert.EndsWith("from-default.db", TargetOf("Get-MigrationStatus"), StringComparison.Ordinal);

        File.Delete(Path.Combine(folder.Path, "migrations.psd1"));
        Assert.Equal(Path.Combine(folder.Path, "dev.db"), TargetOf("Get-MigrationStatus"));
    }

    [Fact]
    public void A_DATABASE_URL_target_says_no_environment()
    {
        var status = session.Run("Get-MigrationStatus").ThrowOnError().Output.Single();

        Assert.Null(status.Properties["Environment"].Value);
    }
}
