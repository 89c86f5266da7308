using System.Management.Automation;
using System.Text;
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
            MigrationReportFormat.JUnit => MigrationReport.JUnit(items, title),
            MigrationReportFormat.Markdown => MigrationReport.Markdown(items, title),
            MigrationReportFormat.Json => FlatReport.Json(items),
            _ => FlatReport.Csv(items),
        };
        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, text, new UTF8Encoding(false));
        this.WriteFile(path);
    }
}
