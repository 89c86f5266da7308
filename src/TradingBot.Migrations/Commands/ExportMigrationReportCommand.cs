using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Xml;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Errors;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

public enum MigrationReportFormat
{
    JUnit,
    Markdown,
    Json,
    Csv,
}

/// <summary>Writes piped status, result or schema drift objects to a CI artefact: JUnit XML (CircleCI's test tab), a Markdown summary, flat JSON or CSV.</summary>
/// <remarks>
/// <para>Takes MigrationStatus or MigrationResult objects (typed, or flat from -AsPlainObject) from the pipeline and writes them
/// all to one file when the pipeline ends. In a JUnit status report a Failed, Modified or Missing migration is a failure and a
/// Pending one is skipped; in a results report a Failed migration is a failure. JSON and CSV hold flat records: text versions,
/// enum names and ISO 8601 UTC times.</para>
/// <para>It also takes the differences Test-MigrationDrift emits (one report holds migrations or differences, not both): in JUnit one
/// test case per difference, failed when its severity is at or above -FailOn (Error unless given) and passed below it, with what
/// differs as its output; in Markdown a table of the differences.</para>
/// </remarks>
/// <example>
/// <code>Get-MigrationStatus -Environment qa | Export-MigrationReport -Format JUnit -Path test-results/migrations/status.xml</code>
/// <para>Writes the QA database's status for CircleCI's test tab.</para>
/// </example>
/// <example>
/// <code>Invoke-Migration -Environment qa | Export-MigrationReport -Format Markdown -Path artifacts/migrations.md -Title 'QA migrations'</code>
/// <para>Applies the pending migrations and keeps a Markdown summary of what ran as a build artefact.</para>
/// </example>
/// <example>
/// <code>Export-MigrationReport -Merge results/*.json -Format JUnit -Path test-results/fleet.xml</code>
/// <para>Merges the JSON results that each CI node of a sharded fleet run wrote into one JUnit report: one test case per target and migration.</para>
/// </example>
/// <example>
/// <code>Test-MigrationDrift -Reference qa -Difference prod | Export-MigrationReport -Format JUnit -Path test-results/drift.xml -FailOn Warning</code>
/// <para>Writes a test case per way production differs from QA; differences of severity Warning or Error fail.</para>
/// </example>
/// <returns>FileInfo: the report it wrote.</returns>
[Cmdlet(VerbsData.Export, "MigrationReport", SupportsShouldProcess = true, DefaultParameterSetName = PipelineSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMigrationReportCommand : PSCmdlet
{
    private const string PipelineSet = "Pipeline";
    private const string MergeSet = "Merge";
    private readonly List<PSObject> items = [];

    /// <summary>Objects from Get-MigrationStatus, Invoke-Migration, Undo-Migration (typed or -AsPlainObject) or Test-MigrationDrift (differences, or -RoundTrip's results).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>
    /// JSON reports (-Format Json) to merge into one: the results of each shard or CI node of a fleet run. Wildcards are
    /// expanded; each file's records are read in the order given.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = MergeSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Merge { get; set; } = [];

    /// <summary>JUnit (XML for CI test tabs), Markdown, Json or Csv.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public MigrationReportFormat Format { get; set; }

    /// <summary>The file to write; its folder is created if missing.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The report's title (default: "Migrations", or "Schema drift" for Test-MigrationDrift's differences).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "Migrations";

    /// <summary>
    /// For a report of Test-MigrationDrift's differences: a difference at or above this severity (Error, Warning or Info) is a
    /// failed JUnit test case, and one below it passes. Error unless given.
    /// </summary>
    [Parameter]
    [ValidateSet("Error", "Warning", "Info")]
    public string? FailOn { get; set; }

    private bool IsDrift => items.Count > 0 && PlainRecord.IsDifference(items[0]);

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }

        if (PlainRecord.IsDifference(InputObject))
        {
            Add(PlainRecord.From(InputObject));
            return;
        }

        if (InputObject.Properties["Version"] is null || (InputObject.Properties["State"] is null && InputObject.Properties["Status"] is null))
        {
            WriteError(ErrorRecords.Create(ErrorCatalogue.UnsupportedReportInput,
                $"Export-MigrationReport takes status and result objects (with Version and State or Status) or schema differences (with ObjectKind and Difference), not {InputObject.BaseObject.GetType().Name}.", InputObject));
            return;
        }

        var record = PlainRecord.From(InputObject);
        if (InputObject.Properties["Reason"]?.Value is string reason)
        {
            // Test-MigrationDrift -RoundTrip's results say why they failed or were skipped.
            record.Properties.Add(new PSNoteProperty("Reason", reason));
        }

        Add(record);
    }

    /// <summary>Adds a record unless it is of the other kind than the first (migrations and schema differences do not share a report).</summary>
    private void Add(PSObject record)
    {
        if (items.Count > 0 && PlainRecord.IsDifference(record) != IsDrift)
        {
            WriteError(ErrorRecords.Create(ErrorCatalogue.UnsupportedReportInput,
                $"One report holds either migrations or schema differences; this {(IsDrift ? "migration" : "difference")} follows {(IsDrift ? "differences" : "migrations")} and is left out. Write a report of each.", record));
            return;
        }

        items.Add(record);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == MergeSet)
        {
            ReportFiles.Read(this, Merge).ForEach(Add);
        }

        if (FailOn is not null && items.Count > 0 && !IsDrift)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.UnsupportedReportInput,
                "-FailOn applies to a report of Test-MigrationDrift's differences; a migrations report fails what failed. Nothing was written.", FailOn));
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was written.");
        }
        catch (MigrationException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, path));
        }

        if (!ShouldProcess(path, $"Write a {Format} report of {items.Count} {(IsDrift ? "schema difference(s)" : "migration(s)")}"))
        {
            return;
        }

        var title = IsDrift && !MyInvocation.BoundParameters.ContainsKey(nameof(Title)) ? "Schema drift" : Title;
        var text = Format switch
        {
            MigrationReportFormat.JUnit when IsDrift => DriftReport.JUnit(items, title, FailOn ?? "Error"),
            MigrationReportFormat.Markdown when IsDrift => DriftReport.Markdown(items, title, FailOn ?? "Error"),
            MigrationReportFormat.JUnit => JUnit(),
            MigrationReportFormat.Markdown => Markdown(),
            MigrationReportFormat.Json => Json(),
            _ => Csv(),
        };
        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, text, new UTF8Encoding(false));
        this.WriteFile(path);
    }

    private static string? Text(PSObject item, string name) => item.Properties[name]?.Value as string;

    private static double Milliseconds(PSObject item) => item.Properties["DurationMs"]?.Value is double ms ? ms : 0;

    /// <summary>Passed, Skipped or Failed, with the reason: a status is failed when Failed, Modified or Missing, skipped when Pending.</summary>
    private static (string Outcome, string Reason) Outcome(PSObject item)
    {
        if (PlainRecord.IsStatus(item))
        {
            var state = Text(item, "State") ?? string.Empty;
            return state switch
            {
                "Applied" => ("Passed", state),
                "Pending" => ("Skipped", "Pending: not applied"),
                "Modified" => ("Failed", "Modified: the file changed since it was applied"),
                "Missing" => ("Failed", "Missing: applied, but its file is gone"),
                "Running" => ("Skipped", "Running: a run is applying it now"),
                _ => ("Failed", state + (Text(item, "FailedStatement") is { } statement ? $": stopped at {statement}" : string.Empty)),
            };
        }

        var status = Text(item, "Status") ?? string.Empty;
        return status switch
        {
            "Succeeded" => ("Passed", status),
            "Skipped" => ("Skipped", Text(item, "Reason") ?? "Skipped: another run did it first"),
            _ => ("Failed", Text(item, "Reason") ?? status),
        };
    }

    private string JUnit()
    {
        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(output, settings))
        {
            var outcomes = items.Select(Outcome).ToList();
            var manyTargets = items.Select(i => Text(i, "Target")).Distinct().Count() > 1;
            var seconds = items.Sum(Milliseconds) / 1000;
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", Title);
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", SuiteName());
            writer.WriteAttributeString("tests", items.Count.ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("failures", outcomes.Count(o => o.Outcome == "Failed").ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("skipped", outcomes.Count(o => o.Outcome == "Skipped").ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("time", seconds.ToString("0.###", CultureInfo.InvariantCulture));
            writer.WriteAttributeString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                writer.WriteStartElement("testcase");
                // A fleet's report: one test case per target and migration, grouped by target.
                writer.WriteAttributeString("classname", manyTargets ? Text(item, "Target") ?? "default" : "migrations." + (Text(item, "Environment") ?? "default"));
                var direction = Text(item, "Direction") is { } d ? $" ({d})" : string.Empty;
                writer.WriteAttributeString("name", $"{Text(item, "Version")} {Text(item, "Name")}{direction}");
                writer.WriteAttributeString("time", (Milliseconds(item) / 1000).ToString("0.###", CultureInfo.InvariantCulture));
                if (Text(item, "Path") is { } file)
                {
                    writer.WriteAttributeString("file", file);
                }

                var (outcome, reason) = outcomes[i];
                if (outcome == "Failed")
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("message", reason);
                    writer.WriteString($"{Text(item, "Version")} {Text(item, "Name")} on {Text(item, "Target")}: {reason}");
                    writer.WriteEndElement();
                }
                else if (outcome == "Skipped")
                {
                    writer.WriteStartElement("skipped");
                    writer.WriteAttributeString("message", reason);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return Encoding.UTF8.GetString(output.ToArray()) + "\n";
    }

    private string SuiteName()
    {
        var targets = items.Select(i => (Text(i, "Environment"), Text(i, "Target"))).Distinct().ToList();
        return targets.Count == 1 ? $"{Title}: {targets[0].Item1 ?? "default"} ({targets[0].Item2})" : Title;
    }

    private string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(SuiteName())).AppendLine();
        var isStatus = items.Count > 0 && PlainRecord.IsStatus(items[0]);
        var counts = items.GroupBy(i => Text(i, isStatus ? "State" : "Status") ?? "?").Select(g => $"{g.Count()} {g.Key}");
        md.AppendLine(items.Count == 0 ? "No migrations." : $"{items.Count} migration(s): {string.Join(", ", counts)}.").AppendLine();
        if (items.Count == 0)
        {
            return md.ToString();
        }

        if (isStatus)
        {
            md.AppendLine("| Version | Name | State | Applied at (UTC) | Duration (ms) | Environment | Target |");
            md.AppendLine("| --- | --- | --- | --- | ---: | --- | --- |");
            foreach (var item in items)
            {
                md.AppendLine(Row(Text(item, "Version"), Text(item, "Name"), Text(item, "State"), Text(item, "AppliedAt"),
                    item.Properties["DurationMs"]?.Value is double ms ? ms.ToString("0.#", CultureInfo.InvariantCulture) : null,
                    Text(item, "Environment"), Text(item, "Target")));
            }
        }
        else
        {
            md.AppendLine("| Version | Name | Direction | Status | Started at (UTC) | Duration (ms) | Environment | Target |");
            md.AppendLine("| --- | --- | --- | --- | --- | ---: | --- | --- |");
            foreach (var item in items)
            {
                md.AppendLine(Row(Text(item, "Version"), Text(item, "Name"), Text(item, "Direction"), Text(item, "Status"), Text(item, "StartedAt"),
                    Milliseconds(item).ToString("0.#", CultureInfo.InvariantCulture), Text(item, "Environment"), Text(item, "Target")));
            }
        }

        return md.ToString();
    }

    private static string Row(params string?[] cells) => "| " + string.Join(" | ", cells.Select(c => Escape(c ?? string.Empty))) + " |";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private string Json()
    {
        var rows = items.Select(item => item.Properties.ToDictionary(p => p.Name, p => p.Value)).ToList();
        return JsonSerializer.Serialize(rows, JsonOptions) + "\n";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private string Csv()
    {
        var csv = new StringBuilder();
        var names = items.Count == 0 ? [] : items[0].Properties.Select(p => p.Name).ToList();
        csv.AppendLine(string.Join(',', names.Select(Quote)));
        foreach (var item in items)
        {
            csv.AppendLine(string.Join(',', names.Select(n => Quote(Convert.ToString(item.Properties[n]?.Value, CultureInfo.InvariantCulture) ?? string.Empty))));
        }

        return csv.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
