using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Errors;
using EngineSeverity = TradingBot.Migrations.Engine.Safety.SafetySeverity;

namespace TradingBot.Migrations.Commands;

/// <summary>Finds where a database's schema is not what it should be: hot fixes, leftovers, migrations whose down forgot something.</summary>
/// <remarks>
/// <para>Three comparisons, each read from the catalogs (as Export-MigrationSchema reads them) and compared object by object:</para>
/// <para>By default, the database against the schema its applied migrations make: exactly those are replayed (a pending one
/// between them is not; an applied one whose files are gone is an AppliedMigrationMissing error), into a scratch database
/// of the same kind (a new database on the same PostgreSQL server, which the user must be allowed to create; a temp file
/// for SQLite) that is dropped afterwards, also on failure and Ctrl+C. With -SchemaFile, against that
/// committed schema file instead (no replay).</para>
/// <para>-Reference and -Difference compare two databases (each a -Database value or an environment of migrations.psd1).</para>
/// <para>-Replay -SchemaFile checks that a committed schema file is what the migrations make now: it replays every migration into a
/// scratch database and fails (SchemaFileOutOfDate, with the differences as diff lines) when the file differs in any byte.</para>
/// <para>-RoundTrip checks the downs: on a scratch database each migration, in version order, goes up, down and up again, and the
/// schema after the down is compared with the one before the up (a lossless down must give it back exactly), and the one after
/// the second up with the first's. One MigrationRoundTrip per migration: Outcome Lossless, Differs, NoDown, or Failed (the
/// second up failed on what the down left behind, which ends the check), Reason, Differences; with -FailOn, a terminating
/// RoundTripFailed error when one differs at or above it or failed. Export-MigrationReport -Format JUnit takes them.</para>
/// <para>-NewMigration name writes the drift as the next SQL migration instead: its up makes the reference's schema into the
/// compared one's for indexes, columns, constraints, column defaults (PostgreSQL) and triggers, creates whole tables, views,
/// sequences, enums and functions (where their source was read) from the side that has them and drops them, each after a
/// REVIEW line; its down undoes that, and every other difference is a REVIEW comment to write by hand. The header says to record it with Repair-Migration -Action MarkApplied where
/// the change is already made. It emits the two files.</para>
/// <para>One MigrationSchemaDifference per difference: ObjectKind, Name, Difference (missing, extra, or the property: type,
/// default, definition...), ReferenceValue, DifferenceValue and Severity: Error for what the application may rely on (a missing
/// table, column or constraint, a changed type, nullability or definition, a privilege, row-level security, a policy or
/// rule), Warning for what is only extra, indexes, event triggers and defaults, Info for a column's position and a comment. -FailOn turns differences at or above a severity into a terminating error
/// (SchemaDriftFound) for CI.</para>
/// </remarks>
/// <example>
/// <code>Test-MigrationDrift -Environment prod</code>
/// <para>Shows how production differs from the schema its applied migrations make.</para>
/// </example>
/// <example>
/// <code>Test-MigrationDrift -Reference qa -Difference prod -FailOn Error</code>
/// <para>Compares production with QA, and fails the CI step on any difference of severity Error.</para>
/// </example>
/// <example>
/// <code>Test-MigrationDrift -Environment prod -NewMigration record-prod-hotfixes</code>
/// <para>Writes a migration that brings what was hot-fixed on production into the migrations, for review.</para>
/// </example>
/// <example>
/// <code>Test-MigrationDrift -RoundTrip -FailOn Warning | Export-MigrationReport -Format JUnit -Path test-results/round-trip.xml</code>
/// <para>Checks that every down undoes its up, writes JUnit for the CI test tab, then fails the step if one does not.</para>
/// </example>
/// <example>
/// <code>$ErrorActionPreference = 'Stop'; Test-MigrationDrift -Replay -SchemaFile migrations/schema.postgres.txt -Database $env:CI_POSTGRES_URL</code>
/// <para>In a pull request's CI: fails when the committed schema file is not what the migrations make.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Test-MigrationDrift -FailOn Error</code>
/// <para>Checks every tenant against the schema its own applied migrations make, four at a time; each difference's Target names its tenant.</para>
/// </example>
/// <returns>FileInfo: with -NewMigration, the up and down files of the migration written from the drift.</returns>
[Cmdlet(VerbsDiagnostic.Test, "MigrationDrift", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(MigrationSchemaDifference), typeof(MigrationRoundTrip), typeof(FileInfo))]
public sealed class TestMigrationDriftCommand : FleetCmdletBase
{
    private const string LiveSet = "Live";
    private const string ReplaySet = "Replay";
    private const string CompareSet = "Compare";
    private const string RoundTripSet = "RoundTrip";

    /// <summary>
    /// A schema file Export-MigrationSchema wrote: by itself, what the database is compared with instead of a replay; with
    /// -Replay, the committed file to check against a replay of every migration.
    /// </summary>
    [Parameter(ParameterSetName = LiveSet)]
    [Parameter(Mandatory = true, ParameterSetName = ReplaySet)]
    [ValidateNotNullOrEmpty]
    public string? SchemaFile { get; set; }

    /// <summary>Check -SchemaFile against a replay of every migration into a scratch database (on the server -Database names, or a temp SQLite file).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReplaySet)]
    public SwitchParameter Replay { get; set; }

    /// <summary>The database compared with: a -Database value or an environment name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CompareSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Configuration.EnvironmentNameCompleter))]
    public string? Reference { get; set; }

    /// <summary>The database whose differences from -Reference are reported: a -Database value or an environment name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CompareSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Configuration.EnvironmentNameCompleter))]
    public string? Difference { get; set; }

    /// <summary>
    /// Check every migration's down instead: on a scratch database, each migration in version order goes up, down and up
    /// again, and the schemas are compared; one MigrationRoundTrip per migration.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = RoundTripSet)]
    public SwitchParameter RoundTrip { get; set; }

    /// <summary>
    /// Write the drift as a new SQL migration of this name (the next version) instead of emitting it: an up that makes the
    /// reference's schema into the compared one's for indexes, columns, constraints and defaults, its down, and REVIEW
    /// comments for the rest. Emits the files.
    /// </summary>
    [Parameter(ParameterSetName = LiveSet)]
    [Parameter(ParameterSetName = CompareSet)]
    [ValidateNotNullOrEmpty]
    public string? NewMigration { get; set; }

    /// <summary>Fail (SchemaDriftFound) when a difference is at or above this severity: Error, Warning or Info.</summary>
    [Parameter]
    [ValidateSet("Error", "Warning", "Info")]
    public string? FailOn { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<SchemaDrift> failingTargets = new();

    // -Reference and -Difference name their own two databases. Live drift takes many targets, each compared with what its own
    // applied migrations make (or the -SchemaFile), every one of them; -FailOn then judges them together. The rest take one.
    protected override void EndProcessing()
    {
        if (ParameterSetName == CompareSet)
        {
            Guard(() => Report(MigrationUseCases.CompareDatabases(SettingsFor(Reference!, readOnly: true), SettingsFor(Difference!, readOnly: true), Cancellation),
                () => SettingsFor(Reference!, readOnly: true).Target.Dialect, inFleet: false));
            return;
        }

        ForEachTarget("Checking schema drift", targets =>
        {
            if (ParameterSetName != LiveSet || NewMigration is not null)
            {
                RefuseMany(targets, RoundTrip ? "-RoundTrip checks the migrations on one database's server"
                    : Replay ? "-Replay checks the schema file on one database's server" : "-NewMigration writes one database's drift as a migration",
                    ", or check live drift without it, which takes many");
            }
        }, (target, run) =>
        {
            var cancellation = run?.Cancellation ?? Cancellation;
            var settings = CreateSettings(target, readOnly: true);
            if (RoundTrip)
            {
                CheckRoundTrips(settings);
                return;
            }

            var drift = ParameterSetName == ReplaySet
                ? MigrationUseCases.CheckSchemaFile(settings, SchemaFilePath()!, cancellation)
                : MigrationUseCases.LiveDrift(settings, SchemaFilePath(), cancellation);
            Report(drift, () => settings.Target.Dialect, inFleet: run is not null);
        });

        var failing = failingTargets.ToList();
        if (failing.Count > 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.SchemaDriftFound,
                $"{failing.Count} target(s) differ from what their migrations make at or above {FailOn}:\n" +
                string.Join("\n", failing.Select(d => $"{d.Difference}: {d.Differences.Count} way(s)\n{d.DiffText()}")), failing[0].Difference));
        }
    }

    private void Report(SchemaDrift drift, Func<Engine.Sql.SqlDialect> dialect, bool inFleet)
    {
        WriteVerbose($"{drift.Differences.Count} difference(s) of {drift.Difference} from {drift.Reference}.");
        foreach (var note in drift.Notes)
        {
            WriteWarning(note);
        }

        if (NewMigration is not null)
        {
            foreach (var path in MigrationUseCases.ScaffoldFromDrift(drift, dialect(), ResolveMigrationsFolder(), NewMigration, DateTime.UtcNow))
            {
                this.WriteFile(path);
            }

            return;
        }

        foreach (var difference in drift.Differences)
        {
            WriteObject(MigrationSchemaDifference.From(difference, drift.Reference, drift.Difference));
        }

        if (ParameterSetName == ReplaySet && (drift.Differences.Count > 0 || !drift.SameText))
        {
            var what = drift.Differences.Count > 0
                ? $"{drift.Differences.Count} difference(s):\n{drift.DiffText()}"
                : "the same objects, but not the text Export-MigrationSchema writes (was it edited by hand?)";
            ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.SchemaFileOutOfDate,
                $"The schema file {drift.Reference} is not what the migrations make now: {what}", drift.Reference));
        }

        if (FailOn is not null)
        {
            var failAt = Enum.Parse<EngineSeverity>(FailOn);
            var failing = new SchemaDrift(drift.Reference, drift.Difference, drift.Differences.Where(d => d.Severity >= failAt).ToList());
            if (failing.Differences.Count > 0 && inFleet)
            {
                failingTargets.Enqueue(failing);
            }
            else if (failing.Differences.Count > 0)
            {
                ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.SchemaDriftFound,
                    $"{drift.Difference} differs from {drift.Reference} in {failing.Differences.Count} way(s) at or above {FailOn}:\n{failing.DiffText()}", drift.Difference));
            }
        }
    }

    private void CheckRoundTrips(EngineSettings settings)
    {
        var results = MigrationUseCases.CheckRoundTrips(settings, result => WriteObject(MigrationRoundTrip.From(result, settings.Target)), Cancellation);
        if (FailOn is null)
        {
            return;
        }

        var failAt = Enum.Parse<EngineSeverity>(FailOn);
        var failing = results.Where(r => r.Outcome == RoundTripOutcome.Failed || r.DownDifferences.Concat(r.ReupDifferences).Any(d => d.Severity >= failAt)).ToList();
        if (failing.Count > 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.RoundTripFailed,
                $"{failing.Count} migration(s) do not round-trip (up, down, up) at or above {FailOn}:\n" +
                string.Join("\n", failing.Select(r => $"{r.Version.Text} {r.Name}: {r.Reason}")), failing[0].Version.Text));
        }
    }

    private string? SchemaFilePath() => SchemaFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(SchemaFile);
}
