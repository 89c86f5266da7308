using System.Xml.Linq;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// Test-MigrationDrift's differences through Export-MigrationReport: a JUnit test case per difference, failed at or above
/// -FailOn (Error by default), and a Markdown table; two SQLite databases, one behind and hot-fixed with an index.
/// </summary>
public sealed class DriftReportTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public DriftReportTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT);\n");
        folder.Write("1.0.2__add-price.up.sql", "ALTER TABLE trades ADD COLUMN price REAL;\n");
        var hotfix = Directory.CreateDirectory(Path.Combine(folder.Path, "hotfix")).FullName;
        File.WriteAllText(Path.Combine(hotfix, "9.0.0__hotfix.up.sql"), "CREATE INDEX trades_symbol_idx ON trades (symbol);\n");
        session.Run("""
            Invoke-Migration -Database ./reference.db | Out-Null
            Invoke-Migration -Database ./drifted.db -TargetVersion 1.0.1 | Out-Null
            Invoke-Migration -Database ./drifted.db -Path ./hotfix -HistoryTable hotfix_history | Out-Null
            """).ThrowOnError();
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    private const string Drift = "Test-MigrationDrift -Reference ./reference.db -Difference ./drifted.db | Where-Object { $_.Name -notlike 'hotfix_history*' -and $_.Table -ne 'hotfix_history' }";

    private XElement Suite(string file) => XDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, file))).Root!.Element("testsuite")!;

    [Fact]
    public void JUnit_has_a_test_case_per_difference_failed_at_or_above_Error_by_default()
    {
        session.Run($"{Drift} | Export-MigrationReport -Format JUnit -Path ./drift.xml").ThrowOnError();

        var suite = Suite("drift.xml");
        Assert.Equal(("2", "1", "0"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("skipped")!.Value));
        Assert.StartsWith("Schema drift: ", suite.Attribute("name")!.Value, StringComparison.Ordinal);
        var cases = suite.Elements("testcase").ToDictionary(c => c.Attribute("name")!.Value);
        Assert.Equal(["Column trades.price missing", "Index trades_symbol_idx extra"], cases.Keys.Order(StringComparer.Ordinal));
        var failure = cases["Column trades.price missing"].Element("failure")!;
        Assert.StartsWith("Error: Column trades.price is missing (only in ", failure.Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.Contains("type: REAL", failure.Value, StringComparison.Ordinal);
        var passed = cases["Index trades_symbol_idx extra"];
        Assert.Null(passed.Element("failure"));
        Assert.StartsWith("Warning: Index trades_symbol_idx is extra (only in ", passed.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnit_fails_warnings_too_with_FailOn_Warning_also_when_merged_from_json()
    {
        session.Run($"{Drift} | Export-MigrationReport Json ./drift.json; Export-MigrationReport -Merge ./drift.json -Format JUnit -Path ./merged.xml -FailOn Warning").ThrowOnError();

        var suite = Suite("merged.xml");
        Assert.Equal(("2", "2"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value));
        Assert.All(suite.Elements("testcase"), c => Assert.NotNull(c.Element("failure")));
    }

    [Fact]
    public void Markdown_tabulates_the_differences_with_their_counts()
    {
        session.Run($"{Drift} | Export-MigrationReport -Format Markdown -Path ./drift.md -Title 'Prod drift'").ThrowOnError();

        var lines = File.ReadAllLines(Path.Combine(folder.Path, "drift.md"));
        Assert.StartsWith("# Prod drift: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("2 difference(s): 1 Error, 1 Warning; 1 at or above Error.", lines[2]);
        Assert.Equal("| Severity | Kind | Name | Table | Difference | Reference | Compared |", lines[4]);
        Assert.Contains(lines, l => l.StartsWith("| Error | Column | trades.price | trades | missing | ", StringComparison.Ordinal) && l.EndsWith(" |  |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| Warning | Index | trades_symbol_idx | trades | extra |  | ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_report_mixing_migrations_and_differences_or_FailOn_on_migrations_is_refused()
    {
        var mixed = session.Run($"@(Get-MigrationStatus -Database ./reference.db) + @({Drift}) | Export-MigrationReport -Format JUnit -Path ./mixed.xml");
        var failOn = session.Run("Get-MigrationStatus -Database ./reference.db | Export-MigrationReport -Format JUnit -Path ./status.xml -FailOn Warning");

        Assert.Equal(2, mixed.Errors.Count);
        Assert.All(mixed.Errors, e => Assert.Equal("UnsupportedReportInput,TradingBot.Migrations.Commands.ExportMigrationReportCommand", e.FullyQualifiedErrorId));
        Assert.Equal("2", Suite("mixed.xml").Attribute("tests")!.Value);
        Assert.Equal("UnsupportedReportInput,TradingBot.Migrations.Commands.ExportMigrationReportCommand", failOn.Error!.FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(folder.Path, "status.xml")));
    }
}
