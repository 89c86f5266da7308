using System.Globalization;
using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>Takes over from dbmate, golang-migrate, Flyway or goose: converts its migrations into this module's files and records what it applied. Runs no migration script.</summary>
/// <remarks>
/// <para>Reads the other tool's migrations folder (-SourcePath) and its history table in the database, writes each migration as
/// this module's &lt;version&gt;__&lt;name&gt;.up.sql and .down.sql in -Path (a script the tool ran outside a transaction starts with
/// '-- transaction: none'), and records every version the tool applied in this module's history, with this module's checksum,
/// the tool's applied-at time where it keeps one, and an audit row in &lt;history table&gt;_repairs. Versions the tool never applied
/// stay Pending. Anything that cannot be converted faithfully is refused with its file and line, before anything changes.</para>
/// <para>The other tool's table is never dropped or changed. dbmate and golang-migrate name it schema_migrations, as this module
/// does: the import then moves it aside under a name that says whose it is (dbmate_schema_migrations), and says so in a warning
/// and under -WhatIf; name another table for this module's history with -HistoryTable to leave theirs where it is.
/// Running the import again changes nothing: files already converted and versions already recorded are left alone.</para>
/// </remarks>
/// <example>
/// <code>Import-MigrationHistory -From Dbmate -SourcePath ./db/migrations -Database $env:DATABASE_URL -WhatIf</code>
/// <para>Shows every file it would write, the table it would move aside and each history row it would record; changes nothing.</para>
/// </example>
/// <example>
/// <code>Import-MigrationHistory -From Flyway -SourcePath ./sql -Environment qa</code>
/// <para>Takes over a Flyway project: V files become up scripts and U files downs; flyway_schema_history stays where it is, and a failed row is imported as Failed.</para>
/// </example>
/// <example>
/// <code>Import-MigrationHistory -From Dbmate -SourcePath ./db/migrations -Path ./migrations; Get-MigrationStatus</code>
/// <para>Takes over a dbmate project on the default database: afterwards the migrations dbmate applied are Applied.</para>
/// </example>
[Cmdlet(VerbsData.Import, "MigrationHistory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationImportResult))]
public sealed class ImportMigrationHistoryCommand : MigrationCmdletBase
{
    /// <summary>The tool whose history to take over.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public MigrationSourceTool From { get; set; }

    /// <summary>The other tool's migrations folder (dbmate: ./db/migrations; Flyway's is read with its subfolders).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string SourcePath { get; set; } = string.Empty;

    /// <summary>
    /// The other tool's history table, when it was given another name than its default (schema_migrations for dbmate and
    /// golang-migrate, flyway_schema_history, goose_db_version).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceTable { get; set; }

    /// <summary>How long to wait for a running migration's lock, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int LockTimeout { get; set; } = 300;

    protected override void ProcessRecord() => Guard(() =>
    {
        var request = new ImportRequest(From.ToEngine(), SessionState.Path.GetUnresolvedProviderPathFromPSPath(SourcePath), SourceTable);
        if (Confirmation.IsWhatIf(this))
        {
            var previewSettings = CreateSettings(readOnly: true);
            var preview = MigrationUseCases.PreviewImport(previewSettings, request, Cancellation);
            foreach (var line in preview.Describe())
            {
                ShouldProcess(previewSettings.Target.DisplayName, line);
            }

            Write(preview, previewSettings, done: false);
            return;
        }

        Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was imported.");
        var settings = CreateSettings() with { LockTimeout = TimeSpan.FromSeconds(LockTimeout) };
        var confirmed = false;
        var plan = MigrationUseCases.Import(settings, request, plan =>
        {
            confirmed = plan.Describe().Aggregate(true, (all, line) => ShouldProcess(settings.Target.DisplayName, line) && all);
            return confirmed;
        }, Cancellation);
        if (!plan.ChangesAnything)
        {
            WriteVerbose($"Nothing to import: {plan.ToolName}'s history is in {plan.HistoryTable} already, and its files in {plan.Folder}.");
        }
        else if (!confirmed)
        {
            return;
        }

        Write(plan, settings, done: true);
    });

    private void Write(ImportPlan plan, EngineSettings settings, bool done)
    {
        if (plan.MoveAsideTo is not null)
        {
            WriteWarning($"{plan.ToolName}'s history table {plan.SourceTable} {(done ? "was moved" : "would be moved")} aside to {plan.SourceTableAfter}, " +
                $"because this module's history table has its name; it is kept with all its rows. Pass -HistoryTable to keep this module's history elsewhere instead.");
        }

        foreach (var item in plan.Items)
        {
            var migration = item.Migration;
            WriteObject(new MigrationImportResult(new MigrationVersion(migration.Version.Text))
            {
                Name = migration.Name,
                From = plan.ToolName,
                SourceFile = migration.SourceFile,
                Files = item.Files.Select(f => System.IO.Path.Combine(plan.Folder, f.File.FileName)).ToList(),
                FileAction = item.Files.Any(f => f.Action == FileImportAction.Write) ? (done ? "Written" : "WouldWrite") : "Unchanged",
                History = item.History.ToString(),
                State = (done ? string.Empty : "WouldBe") + (item.Failed ? "Failed" : item.History == HistoryImportAction.NotApplied ? "Pending" : "Applied"),
                AppliedAt = item.AppliedAtUtc?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                Checksum = migration.Checksum,
                SourceTable = plan.SourceTableAfter,
                Environment = settings.Target.Environment,
                Target = settings.Target.DisplayName,
            });
        }
    }
}
