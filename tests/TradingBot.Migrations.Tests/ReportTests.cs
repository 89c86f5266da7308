using System.Text.Json;
using System.Xml.Linq;

namespace TradingBot.Migrations.Tests;

/// <summary>-AsPlainObject and Export-MigrationReport: flat records, and the JUnit, Markdown, JSON and CSV files CI keeps.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public ReportTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        folder.Write("1.0.2__add-price.up.sql", "ALTER TABLE trades ADD COLUMN price REAL;\n");
        File.WriteAllText(Path.Combine(folder.Path, "migrations.psd1"), "@{ DefaultEnvironment = 'dev'; Environments = @{ dev = @{ Database = 'sqlite:./dev.db' } } }");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    private string Read(string file) => File.ReadAllText(Path.Combine(folder.Path, file));

    [Fact]
    public void AsPlainObject_gives_flat_records_with_iso_utc_times_and_enum_names()
    {
        var results = session.Run("Invoke-Migration -TargetVersion 1.0.1 -AsPlainObject").ThrowOnError().Output;
        var status = session.Run("Get-MigrationStatus -AsPlainObject").ThrowOnError().Output;

        var result = Assert.Single(results);
        Assert.Equal("System.Management.Automation.PSCustomObject", result.BaseObject.GetType().FullName);
        Assert.Equal(["Environment", "Target", "Version", "Name", "Direction", "Status", "StartedAt", "DurationMs", "Path"], result.Properties.Select(p => p.Name));
        Assert.Equal("1.0.1", result.Properties["Version"].Value);
        Assert.Equal("Up", result.Properties["Direction"].Value);
        Assert.Equal("Succeeded", result.Properties["Status"].Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", (string)result.Properties["StartedAt"].Value);
        Assert.IsType<double>(result.Properties["DurationMs"].Value);

        Assert.Equal(["Applied", "Pending"], status.Select(s => s.Properties["State"].Value));
        Assert.All(status, s => Assert.All(s.Properties, p => Assert.True(p.Value is null or string or bool or double, $"{p.Name} is {p.Value?.GetType()}")));
        Assert.Matches(@"Z$", (string)status[0].Properties["AppliedAt"].Value);
        Assert.Equal("dev", status[0].Properties["Environment"].Value);
    }

    [Fact]
    public void JUnit_report_of_status_fails_modified_and_skips_pending()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, changed TEXT);\n");

        var written = session.Run("Get-MigrationStatus | Export-MigrationReport -Format JUnit -Path ./reports/status.xml").ThrowOnError().Output;

        Assert.Equal(Path.Combine(folder.Path, "reports", "status.xml"), ((FileInfo)written.Single().BaseObject).FullName);
        var suite = XDocument.Parse(Read("reports/status.xml")).Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(["1.0.1 create-trades", "1.0.2 add-price"], cases.Select(c => c.Attribute("name")!.Value));
        Assert.StartsWith("Modified", cases[0].Element("failure")!.Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.NotNull(cases[1].Element("skipped"));
        Assert.Equal("migrations.dev", cases[0].Attribute("classname")!.Value);
    }

    [Fact]
    public void JUnit_report_of_results_passes_what_succeeded()
    {
        session.Run("Invoke-Migration | Export-MigrationReport JUnit ./results.xml").ThrowOnError();

        var suite = XDocument.Parse(Read("results.xml")).Root!.Element("testsuite")!;
        Assert.Equal(("2", "0", "0"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("skipped")!.Value));
        Assert.Equal("1.0.1 create-trades (Up)", suite.Elements("testcase").First().Attribute("name")!.Value);
    }

    [Fact]
    public void Markdown_report_summarises_and_tabulates()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();

        session.Run("Get-MigrationStatus | Export-MigrationReport -Format Markdown -Path ./summary.md -Title 'QA migrations'").ThrowOnError();

        var markdown = Read("summary.md");
        Assert.StartsWith("# QA migrations: dev (", markdown, StringComparison.Ordinal);
        Assert.Contains("2 migration(s): 1 Applied, 1 Pending.", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1.0.2 | add-price | Pending |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_and_csv_reports_are_flat()
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();

        session.Run("Get-MigrationStatus | Export-MigrationReport Json ./status.json; Get-MigrationStatus -AsPlainObject | Export-MigrationReport Csv ./status.csv").ThrowOnError();

        using var json = JsonDocument.Parse(Read("status.json"));
        var first = json.RootElement[0];
        Assert.Equal("1.0.1", first.GetProperty("Version").GetString());
        Assert.Equal("Applied", first.GetProperty("State").GetString());
        Assert.EndsWith("Z", first.GetProperty("AppliedAt").GetString(), StringComparison.Ordinal);
        Assert.All(first.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Object, p.Value.ValueKind));
        var csv = Read("status.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"Environment\",\"Target\",\"Version\",\"Name\",\"State\"", csv[0], StringComparison.Ordinal);
        Assert.Equal(3, csv.Length);
    }

    [Fact]
    public void Other_objects_are_refused_with_an_error_per_object()
    {
        var result = session.Run("'not a migration' | Export-MigrationReport Json ./x.json");

        Assert.Equal("UnsupportedReportInput,TradingBot.Migrations.Commands.ExportMigrationReportCommand", result.Errors.Single().FullyQualifiedErrorId);
    }
}
