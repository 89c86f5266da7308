using System.Management.Automation;

namespace TradingBot.Migrations.Tests;

public sealed class SafetyCmdletTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public SafetyCmdletTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id bigint PRIMARY KEY, symbol text, fee numeric);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        folder.Write("1.0.2__drop-fee.up.sql", "SET lock_timeout = '5s';\n-- the fee moved to its own table\nALTER TABLE trades DROP COLUMN fee;\n");
        folder.Write("1.0.2__drop-fee.down.sql", "ALTER TABLE trades ADD COLUMN fee numeric;\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Findings_name_rule_severity_file_line_and_remedy()
    {
        var findings = session.Run("Test-MigrationSafety -All").ThrowOnError().Output;

        var dropColumn = Assert.Single(findings, f => (string)f.Properties["Rule"].Value == "drop-column");
        Assert.Equal("Error", dropColumn.Properties["Severity"].Value.ToString());
        Assert.Equal("1.0.2", dropColumn.Properties["Version"].Value.ToString());
        Assert.Equal(3, dropColumn.Properties["Line"].Value);
        Assert.EndsWith("1.0.2__drop-fee.up.sql", (string)dropColumn.Properties["File"].Value, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string)dropColumn.Properties["Remedy"].Value));
        Assert.DoesNotContain(findings, f => (string)f.Properties["Version"].Value.ToString()! == "1.0.1" && (string)f.Properties["Severity"].Value.ToString()! == "Error");
    }

    [Fact]
    public void A_suppression_with_a_reason_marks_the_finding_suppressed_and_FailOn_ignores_it()
    {
        folder.Write("1.0.2__drop-fee.up.sql", "SET lock_timeout = '5s';\n-- safety: ignore drop-column reason: fee unused since 2026-10\nALTER TABLE trades DROP COLUMN fee;\n");

        var result = session.Run("Test-MigrationSafety -All -FailOn Error").ThrowOnError();

        var finding = Assert.Single(result.Output, f => (string)f.Properties["Rule"].Value == "drop-column");
        Assert.True((bool)finding.Properties["Suppressed"].Value);
        Assert.Equal("fee unused since 2026-10", finding.Properties["SuppressionReason"].Value);
    }

    [Fact]
    public void FailOn_Error_is_a_terminating_error_that_stops_a_CI_step()
    {
        var result = session.Run("$ErrorActionPreference = 'Stop'; Test-MigrationSafety -All -FailOn Error; 'not reached'");

        Assert.Equal("UnsafeMigration,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("drop-column", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output, o => o.BaseObject is "not reached");
    }

    [Fact]
    public void A_COMMIT_that_Invoke_Migration_refuses_fails_the_safety_gate_first()
    {
        folder.Write("1.0.2__drop-fee.up.sql", "CREATE TABLE fills (id bigint PRIMARY KEY);\nCOMMIT;\n");
        folder.Write("1.0.2__drop-fee.down.sql", "DROP TABLE fills;\n");

        var gate = session.Run("$ErrorActionPreference = 'Stop'; Test-MigrationSafety -Version 1.0.2 -FailOn Error; 'not reached'");
        var run = session.Run("Invoke-Migration -Database sqlite:./dev.db");

        Assert.Equal("UnsafeMigration,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", gate.Error?.FullyQualifiedErrorId);
        Assert.Contains("1.0.2 transaction-control-in-migration (1.0.2__drop-fee.up.sql:2)", gate.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(gate.Output, o => o.BaseObject is "not reached");
        Assert.StartsWith("TransactionControlInMigration,", run.Error?.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_returns_one_boolean()
    {
        var unsafeResult = session.Run("Test-MigrationSafety -All -Quiet").ThrowOnError().Output;
        var safeResult = session.Run("Test-MigrationSafety -Version 1.0.1 -Quiet").ThrowOnError().Output;

        Assert.False((bool)Assert.Single(unsafeResult).BaseObject);
        Assert.True((bool)Assert.Single(safeResult).BaseObject);
    }

    [Fact]
    public void JUnit_and_JSON_reports_are_written_for_ci()
    {
        session.Run("Test-MigrationSafety -All -JUnitPath ./results/safety.xml -JsonPath ./results/safety.json").ThrowOnError();

        var junit = File.ReadAllText(Path.Combine(folder.Path, "results", "safety.xml"));
        var json = File.ReadAllText(Path.Combine(folder.Path, "results", "safety.json"));
        Assert.Contains("<testsuite", junit, StringComparison.Ordinal);
        Assert.Contains("drop-column", junit, StringComparison.Ordinal);
        Assert.Contains("\"drop-column\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_database_only_pending_migrations_are_linted()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id bigint PRIMARY KEY, symbol text, fee numeric);\nDELETE FROM trades;\n");

        var findings = session.Run("Test-MigrationSafety -Database sqlite:./dev.db").ThrowOnError().Output;

        var lint = findings.Where(f => !((string)f.Properties["Rule"].Value).StartsWith("history-", StringComparison.Ordinal) && (string)f.Properties["Script"].Value != "Live").ToList();
        Assert.All(lint, f => Assert.Equal("1.0.2", f.Properties["Version"].Value.ToString()));
        Assert.Contains(lint, f => (string)f.Properties["Rule"].Value == "drop-column");
        Assert.Contains(findings, f => (string)f.Properties["Rule"].Value == "history-modified" && f.Properties["Version"].Value.ToString() == "1.0.1");
    }

    [Fact]
    public void RollbackTo_classifies_each_down_Undo_would_run_on_the_default_database_newest_first()
    {
        folder.Write("1.0.3__archive.up.sql", "CREATE TABLE archive (id bigint PRIMARY KEY);\n");
        folder.Write("1.0.3__archive.down.sql", "DROP TABLE archive;\nDROP TABLE trades;\n");
        folder.Write("1.0.4__pending.up.sql", "CREATE TABLE pending (id bigint PRIMARY KEY);\n");
        folder.Write("1.0.2__drop-fee.up.sql", "ALTER TABLE trades DROP COLUMN fee;\n");
        session.Run("Invoke-Migration -TargetVersion 1.0.3").ThrowOnError();

        var assessments = session.Run("Test-MigrationSafety -RollbackTo 1.0.1").ThrowOnError().Output;

        Assert.Equal(["1.0.3", "1.0.2"], assessments.Select(a => a.Properties["Version"].Value.ToString()));
        Assert.Equal("Lossy", assessments[0].Properties["Kind"].Value.ToString());
        Assert.Contains("trades", string.Join(' ', (string[])assessments[0].Properties["Losses"].Value), StringComparison.Ordinal);
    }
}
