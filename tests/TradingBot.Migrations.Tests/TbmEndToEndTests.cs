namespace TradingBot.Migrations.Tests;

/// <summary>The one faithful test of module loading: a separate process that only hosts PowerShell imports the manifest.</summary>
public sealed class TbmEndToEndTests
{
    [Fact]
    public void Tbm_applies_migrations_to_sqlite_in_a_separate_process_and_prints_a_table()
    {
        using var folder = new TempFolder();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");

        var (exitCode, output, error) = TbmProcess.Run(folder.Path, null, "Invoke-Migration");

        Assert.True(exitCode == 0, error);
        Assert.Contains("1.0.1", output, StringComparison.Ordinal);
        Assert.Contains("Succeeded", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "dev.db")), "the default database is ./dev.db");

        var status = TbmProcess.Run(folder.Path, null, "Get-MigrationStatus");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Applied", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tbm_exits_non_zero_and_names_the_error_when_a_migration_fails()
    {
        using var folder = new TempFolder();
        folder.Write("1.0.1__broken.up.sql", "CREATE TABLE ok (id INTEGER);\nINSERT INTO missing_table VALUES (1);\n");

        var (exitCode, _, error) = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:./app.db");

        Assert.Equal(1, exitCode);
        Assert.Contains("[MigrationFailed", error, StringComparison.Ordinal);
        Assert.Contains("1.0.1__broken.up.sql at line 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tbm_WhatIf_prints_each_migration_with_its_sql_and_changes_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");

        var (exitCode, output, error) = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-WhatIf");

        Assert.True(exitCode == 0, error);
        Assert.Contains("What if: Apply migration 1.0.1 create-trades", output, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE trades (id INTEGER PRIMARY KEY);", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "dev.db")));
    }

    [Fact]
    public void Tbm_refuses_to_prompt_without_a_console_and_says_how_to_go_ahead()
    {
        using var folder = new TempFolder();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        Assert.Equal(0, TbmProcess.Run(folder.Path, null, "Invoke-Migration").ExitCode);

        var (exitCode, _, error) = TbmProcess.Run(folder.Path, null, "Undo-Migration", "-All");

        Assert.Equal(1, exitCode);
        Assert.Contains("-Force", error, StringComparison.Ordinal);
        Assert.Equal(0, TbmProcess.Run(folder.Path, null, "Undo-Migration", "-All", "-Force").ExitCode);
    }
}
