using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>Environment timeouts on a real PostgreSQL: the environment's defaults, and a directive that overrides them.</summary>
public sealed class PostgresEnvironmentTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;
    private readonly string variable = "TBM_TEST_PG_" + Guid.NewGuid().ToString("N");
    private readonly string database = string.Empty;

    public PostgresEnvironmentTests()
    {
        session = new PowerShellSession(folder.Path);
        if (PostgresCluster.SkipReason is not null)
        {
            return;
        }

        database = PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("environments"));
        Environment.SetEnvironmentVariable(variable, PostgresCluster.UrlFor(database));
        File.WriteAllText(Path.Combine(folder.Path, "migrations.psd1"), $$"""
            @{
                Environments = @{
                    prod = @{
                        DatabaseUrlVariable = '{{variable}}'
                        Protected = $true
                        ConnectTimeoutSeconds = 7
                        CommandTimeoutSeconds = 90
                        PostgresLockTimeout = '4s'
                        PostgresStatementTimeout = '10min'
                    }
                }
            }
            """);
        folder.Write("1.0.1__record-defaults.up.sql",
            "CREATE TABLE seen (version text, lock_timeout text, statement_timeout text);\nINSERT INTO seen VALUES ('1.0.1', current_setting('lock_timeout'), current_setting('statement_timeout'));\n");
        folder.Write("1.0.2__record-directive.up.sql",
            "-- lock_timeout: 2500ms\nINSERT INTO seen VALUES ('1.0.2', current_setting('lock_timeout'), current_setting('statement_timeout'));\n");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable, null);
        session.Dispose();
        folder.Dispose();
    }

    [RequiresPostgresFact]
    public void Environment_timeouts_apply_to_each_migration_and_a_directive_overrides_them()
    {
        var applied = session.Run("Invoke-Migration -Environment prod").ThrowOnError().Output;

        Assert.All(applied, r => Assert.Equal("prod", r.Properties["Environment"].Value));
        var seen = PostgresCluster.ExecuteSql(database, "SELECT string_agg(version || '=' || lock_timeout || '/' || statement_timeout, ',' ORDER BY version) FROM seen");
        Assert.Equal("1.0.1=4s/10min,1.0.2=2500ms/10min", seen.Trim());
    }
}
