using System.Management.Automation;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// migrations.psd1 and -Environment through the real PowerShell engine: precedence, the environment on
/// every output object, protected environments, and the errors for a bad file, a missing variable and an
/// unknown name. Variables the tests set have names unique to the test, so other classes can run beside them.
/// </summary>
public sealed class EnvironmentTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;
    private readonly string qaVariable = "TBM_TEST_QA_" + Guid.NewGuid().ToString("N");
    private readonly string prodVariable = "TBM_TEST_PROD_" + Guid.NewGuid().ToString("N");

    public EnvironmentTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        folder.Write("1.0.2__add-price.up.sql", "ALTER TABLE trades ADD COLUMN price REAL;\n");
        folder.Write("1.0.2__add-price.down.sql", "ALTER TABLE trades DROP COLUMN price;\n");
        Environment.SetEnvironmentVariable(qaVariable, "sqlite:./qa.db");
        Environment.SetEnvironmentVariable(prodVariable, "sqlite:./prod.db");
        WriteConfiguration($$"""
            @{
                DefaultEnvironment = 'dev'
                Environments = @{
                    dev  = @{ Database = 'sqlite:./dev-from-config.db' }
                    qa   = @{ DatabaseUrlVariable = '{{qaVariable}}'; CommandTimeoutSeconds = 45 }
                    prod = @{
                        DatabaseUrlVariable = '{{prodVariable}}'
                        Protected = $true
                        LockTimeoutSeconds = 30
                    }
                }
            }
            """);
    }

    public void Dispose()
    {
        session.Dispose();
        Environment.SetEnvironmentVariable(qaVariable, null);
        Environment.SetEnvironmentVariable(prodVariable, null);
        folder.Dispose();
    }

    private string DatabasePath(string file) => Path.Combine(folder.Path, file);

    private void WriteConfiguration(string text, string file = "migrations.psd1") => File.WriteAllText(Path.Combine(folder.Path, file), text);

    [Fact]
    public void The_default_environment_of_the_file_is_used_when_nothing_else_is_given()
    {
        var status = session.Run("Get-MigrationStatus").ThrowOnError().Output;

        Assert.All(status, s => Assert.Equal("dev", s.Properties["Environment"].Value));
        Assert.All(status, s => Assert.Equal(DatabasePath("dev-from-config.db"), s.Properties["Target"].Value));
    }

    [Fact]
    public void Environment_picks_the_database_from_its_variable()
    {
        var applied = session.Run("Invoke-Migration -Environment qa").ThrowOnError().Output;

        Assert.Equal(2, applied.Count);
        Assert.True(File.Exists(DatabasePath("qa.db")));
        Assert.False(File.Exists(DatabasePath("dev-from-config.db")));
    }

    [Fact]
    public void Database_wins_over_Environment()
    {
        var status = session.Run("Get-MigrationStatus -Database sqlite:./explicit.db -Environment qa").ThrowOnError().Output;

        Assert.All(status, s => Assert.Equal(DatabasePath("explicit.db"), s.Properties["Target"].Value));
        Assert.All(status, s => Assert.Null(s.Properties["Environment"].Value));
    }

    [Fact]
    public void Without_a_configuration_file_the_default_is_dev_db()
    {
        File.Delete(Path.Combine(folder.Path, "migrations.psd1"));

        var status = session.Run("Get-MigrationStatus").ThrowOnError().Output;

        // DATABASE_URL is not set in the test process (the precedence tests that set it run alone).
        Assert.All(status, s => Assert.Equal(DatabasePath("dev.db"), s.Properties["Target"].Value));
    }

    [Fact]
    public void Every_status_and_result_object_names_its_environment_and_target()
    {
        var applied = session.Run("Invoke-Migration -Environment prod").ThrowOnError().Output;
        var status = session.Run("Get-MigrationStatus -Environment prod").ThrowOnError().Output;
        var undone = session.Run("Undo-Migration -Environment prod -Count 1 -Force").ThrowOnError().Output;

        Assert.Equal(2, applied.Count);
        Assert.Equal(2, status.Count);
        Assert.Single(undone);
        Assert.All(applied.Concat(status).Concat(undone), o =>
        {
            Assert.Equal("prod", o.Properties["Environment"].Value);
            Assert.Equal(DatabasePath("prod.db"), o.Properties["Target"].Value);
        });
    }

    [Fact]
    public void The_file_sets_the_migrations_folder_and_history_table_and_parameters_override_it()
    {
        Directory.Move(folder.Migrations, Path.Combine(folder.Path, "db-migrations"));
        WriteConfiguration("""
            @{
                MigrationsPath = 'db-migrations'
                HistoryTable = 'applied_versions'
                Environments = @{ dev = @{ Database = 'sqlite:./dev.db' } }
                DefaultEnvironment = 'dev'
            }
            """);

        session.Run("Invoke-Migration").ThrowOnError();
        var fromFile = session.Run("Get-MigrationStatus").ThrowOnError().Output;
        var overridden = session.Run("Get-MigrationStatus -HistoryTable other_history").ThrowOnError().Output;
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));
        var otherFolder = session.Run("Get-MigrationStatus -Path ./empty").ThrowOnError().Output;

        Assert.All(fromFile, s => Assert.Equal("Applied", s.Properties["State"].Value.ToString()));
        Assert.All(overridden, s => Assert.Equal("Pending", s.Properties["State"].Value.ToString()));
        Assert.All(otherFolder, s => Assert.Equal("Missing", s.Properties["State"].Value.ToString()));
    }

    [Fact]
    public void New_Migration_writes_into_the_configured_folder()
    {
        WriteConfiguration("@{ MigrationsPath = 'db' }");

        var created = session.Run("New-Migration -Name add-notes").ThrowOnError().Output;

        Assert.Equal(2, created.Count);
        Assert.All(created, f => Assert.StartsWith(Path.Combine(folder.Path, "db") + Path.DirectorySeparatorChar, ((FileInfo)f.BaseObject).FullName, StringComparison.Ordinal));
    }

    [Fact]
    public void Protected_environment_refuses_AllowModified_and_AllowOutOfOrder_and_changes_nothing()
    {
        var modified = session.Run("Invoke-Migration -Environment prod -AllowModified");
        var outOfOrder = session.Run("Invoke-Migration -Environment prod -AllowOutOfOrder");

        Assert.Equal("ProtectedEnvironmentOverrideRefused,TradingBot.Migrations.Commands.InvokeMigrationCommand", modified.Error!.FullyQualifiedErrorId);
        Assert.Contains("-AllowModified", modified.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Repair", modified.Error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("ProtectedEnvironmentOverrideRefused,TradingBot.Migrations.Commands.InvokeMigrationCommand", outOfOrder.Error!.FullyQualifiedErrorId);
        Assert.False(File.Exists(DatabasePath("prod.db")));
    }

    [Fact]
    public void Protected_environment_refuses_Modified_migrations_without_any_override()
    {
        session.Run("Invoke-Migration -Environment prod").ThrowOnError();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, note TEXT);\n");
        folder.Write("1.0.3__add-note.up.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");

        var result = session.Run("Invoke-Migration -Environment prod");

        Assert.Equal("ModifiedMigrationBlocks", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void Undo_in_a_protected_environment_needs_Force_in_a_non_interactive_session()
    {
        session.Run("Invoke-Migration -Environment prod").ThrowOnError();

        var refused = session.Run("Undo-Migration -Environment prod -All -Confirm:$false");
        var statusAfterRefusal = session.Run("Get-MigrationStatus -Environment prod -State Applied").ThrowOnError().Output;
        var forced = session.Run("Undo-Migration -Environment prod -All -Force").ThrowOnError().Output;

        Assert.Equal("ProtectedEnvironmentRequiresForce,TradingBot.Migrations.Commands.UndoMigrationCommand", refused.Error!.FullyQualifiedErrorId);
        Assert.Contains("-Force", refused.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, statusAfterRefusal.Count);
        Assert.Equal(2, forced.Count);
    }

    [Fact]
    public void Undo_in_an_unprotected_environment_runs_with_Confirm_false()
    {
        session.Run("Invoke-Migration -Environment qa").ThrowOnError();

        var undone = session.Run("Undo-Migration -Environment qa -All -Confirm:$false").ThrowOnError().Output;

        Assert.Equal(2, undone.Count);
    }

    [Fact]
    public void A_missing_variable_is_named_and_nothing_runs()
    {
        Environment.SetEnvironmentVariable(qaVariable, null);

        var result = session.Run("Invoke-Migration -Environment qa");

        Assert.Equal("EnvironmentVariableNotSet,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains(qaVariable, result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.False(File.Exists(DatabasePath("qa.db")));
    }

    [Fact]
    public void An_unknown_environment_is_named_with_the_known_ones()
    {
        var result = session.Run("Get-MigrationStatus -Environment staging");

        Assert.Equal("UnknownEnvironment,TradingBot.Migrations.Commands.GetMigrationStatusCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Error.CategoryInfo.Category);
        Assert.Contains("'staging'", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("dev, prod, qa", result.Error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_file_and_its_line()
    {
        WriteConfiguration("""
            @{
                Environments = @{
                    dev = @{
                        Database = 'sqlite:./dev.db'
                        Protcted = $true
                    }
                }
            }
            """);

        var result = session.Run("Invoke-Migration");

        Assert.Equal("UnknownConfigurationKey,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error!.FullyQualifiedErrorId);
        Assert.Contains(Path.Combine(folder.Path, "migrations.psd1") + ":5:", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("'Protcted'", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath("dev.db")));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_with_its_line()
    {
        WriteConfiguration("@{\n  Environments = @{\n    prod = @{ DatabaseUrlVariable = 'PROD_URL'\n      Protected = 'yes' }\n  }\n}\n");

        var result = session.Run("Get-MigrationStatus");

        Assert.Equal("InvalidConfigurationValue", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("migrations.psd1:4:", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("'Protected'", result.Error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_file_is_refused_with_its_line()
    {
        WriteConfiguration("@{\n  Environments = @{\n    dev = @{ Database = 'sqlite:./dev.db' \n}\n");

        var result = session.Run("Get-MigrationStatus");

        Assert.Equal("InvalidConfigurationFile", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ParserError, result.Error.CategoryInfo.Category);
        Assert.Matches(@"migrations\.psd1:\d+:", result.Error.Exception.Message);
    }

    [Fact]
    public void Code_in_the_file_is_never_run()
    {
        var marker = Path.Combine(folder.Path, "ran.txt");
        WriteConfiguration($"@{{\n  Environments = @{{\n    dev = @{{ Database = $(Set-Content -Path '{marker}' -Value x; 'sqlite:./dev.db') }}\n  }}\n}}\n");

        var result = session.Run("Get-MigrationStatus");

        Assert.Equal("InvalidConfigurationValue", result.Error!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("migrations.psd1:3:", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void ConfigurationPath_names_another_file_and_must_exist()
    {
        WriteConfiguration("@{ Environments = @{ ci = @{ Database = 'sqlite:./ci.db' } }; DefaultEnvironment = 'ci' }", "other.psd1");

        var status = session.Run("Get-MigrationStatus -ConfigurationPath ./other.psd1").ThrowOnError().Output;
        var missing = session.Run("Get-MigrationStatus -ConfigurationPath ./absent.psd1");

        Assert.All(status, s => Assert.Equal("ci", s.Properties["Environment"].Value));
        Assert.Equal("ConfigurationFileNotFound", missing.Error!.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void Environment_names_complete_from_the_file()
    {
        const string Complete = "param($line) (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText";
        var result = session.Run($"& {{ {Complete} }} 'Get-MigrationStatus -Environment p'").ThrowOnError();
        var all = session.Run($"& {{ {Complete} }} 'Invoke-Migration -Environment '").ThrowOnError();

        Assert.Equal(["prod"], result.Output.Select(o => o.ToString()));
        Assert.Equal(["dev", "prod", "qa"], all.Output.Select(o => o.ToString()));
    }
}
