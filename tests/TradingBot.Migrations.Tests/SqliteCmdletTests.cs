using System.Management.Automation;

namespace TradingBot.Migrations.Tests;

public sealed class SqliteCmdletTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public SqliteCmdletTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);\nINSERT INTO trades (symbol) VALUES ('a;b');\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        folder.Write("1.0.2__add-price.up.sql", "ALTER TABLE trades ADD COLUMN price REAL;\n");
        folder.Write("1.0.2__add-price.down.sql", "ALTER TABLE trades DROP COLUMN price;\n");
        folder.Write("1.0.10__create-orders.up.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n");
        folder.Write("1.0.10__create-orders.down.sql", "DROP TABLE orders;\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Invoke_Migration_applies_pending_migrations_in_version_order_and_emits_typed_results()
    {
        var result = session.Run("Invoke-Migration").ThrowOnError();

        var results = result.Output.Select(o => (MigrationResultView)o).ToList();
        Assert.Equal(["1.0.1", "1.0.2", "1.0.10"], results.Select(r => r.Version));
        Assert.All(results, r => Assert.Equal("Succeeded", r.Status));
        Assert.All(results, r => Assert.Equal("Up", r.Direction));
        Assert.Equal("TradingBot.Migrations.MigrationResult", result.Output[0].BaseObject.GetType().FullName);
        Assert.True(File.Exists(Path.Combine(folder.Path, "dev.db")));
    }

    [Fact]
    public void Get_MigrationStatus_objects_filter_by_state_in_the_pipeline()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.2").ThrowOnError();

        var pending = session.Run("Get-MigrationStatus | Where-Object State -eq Pending").ThrowOnError();
        var applied = session.Run("Get-MigrationStatus | Where-Object State -eq 'Applied'").ThrowOnError();

        Assert.Equal(["1.0.10"], pending.Output.Select(o => o.Properties["Version"].Value.ToString()));
        Assert.Equal(["1.0.1", "1.0.2"], applied.Output.Select(o => o.Properties["Version"].Value.ToString()));
        var first = applied.Output[0];
        // A DateTimeOffset in UTC since AppliedAt compares as an instant (Output.Tests.ps1); printed ISO 8601 with its zone.
        var appliedAt = (PSObject)first.Properties["AppliedAt"].Value;
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)appliedAt.BaseObject).Offset);
        Assert.Equal("TradingBot.Migrations.UtcTimestamp", appliedAt.TypeNames[0]);
        Assert.Matches("^[0-9a-f]{64}$", (string)first.Properties["Checksum"].Value);
        Assert.False(string.IsNullOrEmpty((string)first.Properties["AppliedBy"].Value));
        Assert.Equal(Path.Combine(folder.Path, "dev.db"), first.Properties["Target"].Value);
    }

    [Fact]
    public void Versions_compare_part_by_part_in_Where_Object()
    {
        var result = session.Run("Get-MigrationStatus | Where-Object Version -gt 1.0.2").ThrowOnError();

        Assert.Equal(["1.0.10"], result.Output.Select(o => o.Properties["Version"].Value.ToString()));
    }

    [Fact]
    public void WhatIf_changes_nothing_not_even_creating_the_database_file()
    {
        var result = session.Run("Invoke-Migration -WhatIf; Undo-Migration -All -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.False(File.Exists(Path.Combine(folder.Path, "dev.db")));
    }

    [Fact]
    public void ScriptPath_writes_the_plan_with_history_statements_and_changes_nothing()
    {
        var result = session.Run("Invoke-Migration -ScriptPath ./plan.sql").ThrowOnError();

        var script = File.ReadAllText(Path.Combine(folder.Path, "plan.sql"));
        Assert.Contains("CREATE TABLE trades", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"schema_migrations\"", script, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO \"schema_migrations\"", script, StringComparison.Ordinal);
        Assert.Single(result.Output);
        Assert.False(File.Exists(Path.Combine(folder.Path, "dev.db")));
    }

    [Fact]
    public void A_failing_migration_is_a_terminating_error_naming_file_line_and_statement_and_is_rolled_back()
    {
        folder.Write("1.0.11__broken.up.sql", "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n");

        var result = session.Run("Invoke-Migration; 'next statement'");

        // A cmdlet's terminating error ends its statement; the script goes on unless $ErrorActionPreference is Stop.
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, result.Output.Count(o => o.BaseObject.GetType().Name == "MigrationResult" && o.Properties["Status"].Value.ToString() == "Succeeded"));
        Assert.Equal("Failed", result.Output.Last(o => o.BaseObject.GetType().Name == "MigrationResult").Properties["Status"].Value.ToString());
        Assert.Equal("MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("1.0.11__broken.up.sql at line 2", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("no such table: no_such_table", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO no_such_table", error.Exception.Message, StringComparison.Ordinal);
        Assert.NotNull(error.ErrorDetails?.RecommendedAction);

        var status = session.Run("Get-MigrationStatus").ThrowOnError().Output;
        Assert.Equal(["Applied", "Applied", "Applied", "Pending"], status.Select(s => s.Properties["State"].Value.ToString()));
        var again = session.Run("Invoke-Migration").Error; // fails the same way: nothing half-applied stands in the way
        Assert.Contains("1.0.11__broken.up.sql at line 2", again?.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorActionPreference_Stop_stops_the_script_at_a_failed_run()
    {
        folder.Write("1.0.11__broken.up.sql", "INSERT INTO no_such_table VALUES (1);\n");

        var result = session.Run("$ErrorActionPreference = 'Stop'; Invoke-Migration; 'not reached'");

        Assert.NotNull(result.Terminating);
        Assert.DoesNotContain(result.Output, o => o.BaseObject is string s && s == "not reached");
    }

    [Fact]
    public void Undo_Migration_to_a_version_runs_downs_newest_first()
    {
        session.Run("Invoke-Migration").ThrowOnError();

        var undone = session.Run("Undo-Migration -TargetVersion 1.0.1 -Confirm:$false").ThrowOnError().Output;

        Assert.Equal(["1.0.10", "1.0.2"], undone.Select(o => o.Properties["Version"].Value.ToString()));
        Assert.All(undone, o => Assert.Equal("Down", o.Properties["Direction"].Value.ToString()));
        var states = session.Run("Get-MigrationStatus").ThrowOnError().Output.Select(s => s.Properties["State"].Value.ToString());
        Assert.Equal(["Applied", "Pending", "Pending"], states);
    }

    [Fact]
    public void Undo_Migration_takes_status_objects_from_the_pipeline()
    {
        session.Run("Invoke-Migration").ThrowOnError();

        var undone = session.Run("Get-MigrationStatus | Where-Object Version -gt 1.0.1 | Undo-Migration -Force").ThrowOnError().Output;

        Assert.Equal(["1.0.10", "1.0.2"], undone.Select(o => o.Properties["Version"].Value.ToString()));
    }

    [Fact]
    public void Undo_Migration_refuses_a_range_with_a_missing_down_before_touching_anything()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        File.Delete(Path.Combine(folder.Migrations, "1.0.2__add-price.down.sql"));

        var result = session.Run("Undo-Migration -All -Confirm:$false");

        Assert.Equal("MissingDownScript,TradingBot.Migrations.Commands.UndoMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("1.0.2", result.Error!.Exception.Message, StringComparison.Ordinal);
        var states = session.Run("Get-MigrationStatus").ThrowOnError().Output.Select(s => s.Properties["State"].Value.ToString());
        Assert.All(states, s => Assert.Equal("Applied", s));
    }

    [Fact]
    public void Undo_Migration_Count_rolls_back_the_newest_n()
    {
        session.Run("Invoke-Migration").ThrowOnError();

        var undone = session.Run("Undo-Migration -Count 1 -Force").ThrowOnError().Output;

        Assert.Equal(["1.0.10"], undone.Select(o => o.Properties["Version"].Value.ToString()));
    }

    [Fact]
    public void Invoke_Migration_refuses_modified_migrations_unless_allowed()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.2").ThrowOnError();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT);\n");

        var refused = session.Run("Invoke-Migration");
        var status = session.Run("Get-MigrationStatus -State Modified").ThrowOnError().Output;
        var allowed = session.Run("Invoke-Migration -AllowModified").ThrowOnError();

        Assert.Equal("ModifiedMigrationBlocks,TradingBot.Migrations.Commands.InvokeMigrationCommand", refused.Error?.FullyQualifiedErrorId);
        Assert.Equal(["1.0.1"], status.Select(s => s.Properties["Version"].Value.ToString()));
        Assert.Single(allowed.Output);
        Assert.Contains(allowed.Warnings, w => w.Contains("1.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Invoke_Migration_refuses_out_of_order_pending_migrations_unless_allowed()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        folder.Write("1.0.3__late.up.sql", "CREATE TABLE late (id INTEGER);\n");

        var refused = session.Run("Invoke-Migration");
        var allowed = session.Run("Invoke-Migration -AllowOutOfOrder").ThrowOnError();

        Assert.Equal("OutOfOrderMigrationBlocks,TradingBot.Migrations.Commands.InvokeMigrationCommand", refused.Error?.FullyQualifiedErrorId);
        Assert.Equal(["1.0.3"], allowed.Output.Select(o => o.Properties["Version"].Value.ToString()));
    }

    [Fact]
    public void Unknown_target_version_is_refused_and_nothing_runs()
    {
        var result = session.Run("Invoke-Migration -TargetVersion 9.9.9");

        Assert.Equal("UnknownTargetVersion,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Error!.CategoryInfo.Category);
        Assert.All(session.Run("Get-MigrationStatus").ThrowOnError().Output, s => Assert.Equal("Pending", s.Properties["State"].Value.ToString()));
    }

    [Fact]
    public void A_PowerShell_migration_runs_parameterised_sql_inside_the_migration_transaction()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        folder.Write("1.0.11__backfill-prices.ps1", """
            @{
                Up = {
                    param($Migration)
                    foreach ($id in $Migration.Query('SELECT id FROM trades') | ForEach-Object { $_['id'] }) {
                        $Migration.Execute('UPDATE trades SET price = @price WHERE id = @id', @{ price = 42.5; id = $id }) | Out-Null
                    }
                }
                Down = {
                    param($Migration)
                    $Migration.Execute('UPDATE trades SET price = NULL') | Out-Null
                }
            }
            """);

        var applied = session.Run("Invoke-Migration").ThrowOnError();
        var price = session.Run("Get-MigrationStatus | Where-Object Version -eq 1.0.11").ThrowOnError().Output.Single();

        Assert.Equal("Succeeded", applied.Output.Single().Properties["Status"].Value.ToString());
        Assert.Equal("PowerShell", price.Properties["Kind"].Value);
        Assert.True((bool)price.Properties["HasDown"].Value);
        Assert.Equal(42.5, SqliteScalar("SELECT price FROM trades"));
    }

    [Fact]
    public void A_failing_PowerShell_migration_rolls_back_its_sql()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        folder.Write("1.0.11__bad-backfill.ps1", """
            @{
                Up = {
                    param($Migration)
                    $Migration.Execute("UPDATE trades SET price = 1") | Out-Null
                    throw 'backfill went wrong'
                }
                Down = { param($Migration) }
            }
            """);

        var result = session.Run("Invoke-Migration");

        Assert.Equal("MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("backfill went wrong", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.Null(SqliteScalar("SELECT price FROM trades"));
    }

    [Fact]
    public void Verbose_shows_per_statement_timing_and_progress_counts_migrations_but_neither_reaches_the_output()
    {
        var result = session.Run("Invoke-Migration -Verbose").ThrowOnError();

        Assert.Contains(result.Verbose, v => v.Contains("line 2: INSERT INTO trades", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("Migration 3 of 3", StringComparison.Ordinal));
        Assert.All(result.Output, o => Assert.Equal("TradingBot.Migrations.MigrationResult", o.BaseObject.GetType().FullName));
    }

    [Theory]
    [InlineData("Invoke-Migration -Database 'mysql://u:p@h/db'", "UnknownDatabaseScheme")]
    [InlineData("Invoke-Migration -Database 'sqlite:./no/such/folder/x.db'", "SqliteFolderNotFound")]
    [InlineData("Invoke-Migration -Path ./nowhere", "MigrationsFolderNotFound")]
    [InlineData("Undo-Migration -TargetVersion 'one.two' -Confirm:$false", "InvalidTargetVersion")]
    public void Bad_input_is_a_clear_error_with_a_stable_id(string script, string errorId)
    {
        var result = session.Run(script);

        Assert.StartsWith(errorId + ",", result.Error?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "dev.db")));
    }

    // The test process's own Microsoft.Data.Sqlite (default load context) reads the file the module's copy wrote.
    private object? SqliteScalar(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.Path, "dev.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private sealed record MigrationResultView(string Version, string Direction, string Status)
    {
        public static explicit operator MigrationResultView(PSObject o) =>
            new(o.Properties["Version"].Value.ToString()!, o.Properties["Direction"].Value.ToString()!, o.Properties["Status"].Value.ToString()!);
    }
}
