using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>Marks every migration up to a version as applied on a database that already has that schema, without running them; checks the live schema first.</summary>
/// <remarks>
/// <para>For a database that exists already (made by hand, or by a tool whose history is gone): the migrations are replayed one at
/// a time into a scratch database (as Export-MigrationSchema -Replay does), each object of the schema export (tables, columns,
/// constraints, indexes, views, functions...) is attributed to the migration that creates it, and the schema at -Version is
/// compared with the live one. Baseline: at or below -Version, and what it creates is there, as it makes it. Apply: above -Version
/// and not there yet; Invoke-Migration runs it next. Conflict: something a migration at or below -Version creates is missing or
/// different (a column's type, a constraint's definition), or something one above it creates is there already. A Conflict refuses
/// the baseline (BaselineContradictsSchema) unless -Force. Objects no migration accounts for are reported in a warning, not a
/// conflict. When no scratch database can be created (the user lacks CREATEDB), a warning says so and the evidence is the tables,
/// columns and named indexes each up script's statements create.</para>
/// <para>Then, under the run lock, every Pending migration up to -Version is recorded as Applied with its file's checksum, AppliedBy
/// 'baseline (user@host)', and an audit row in &lt;history table&gt;_repairs saying who baselined which file to which version, when.
/// No script runs. -WhatIf shows every label, its evidence and each row it would record.</para>
/// </remarks>
/// <example>
/// <code>Set-MigrationBaseline -Version 1.4.0 -Environment prod -WhatIf</code>
/// <para>Shows each file's label and evidence against production's schema, and what a baseline to 1.4.0 would record.</para>
/// </example>
/// <example>
/// <code>Set-MigrationBaseline -Version 1.4.0 -Environment prod; Invoke-Migration -Environment prod</code>
/// <para>Records 1.4.0 and everything before it as applied, then applies what comes after.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "MigrationBaseline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationBaselineEntry))]
public sealed class SetMigrationBaselineCommand : MigrationCmdletBase
{
    /// <summary>The version the database's schema is at: it and every migration before it are recorded as applied.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string Version { get; set; } = string.Empty;

    /// <summary>Record the baseline even where the live schema contradicts it (labels Conflict).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How long to wait for a running migration's lock, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int LockTimeout { get; set; } = 300;

    protected override void ProcessRecord() => Guard(() =>
    {
        var version = ParseVersionParameter(Version, "-Version", MigrationErrors.InvalidBaselineVersion);
        if (Confirmation.IsWhatIf(this))
        {
            var previewSettings = CreateSettings(readOnly: true);
            var preview = MigrationUseCases.PreviewBaseline(previewSettings, version, Cancellation);
            foreach (var line in preview.Describe())
            {
                ShouldProcess(previewSettings.Target.DisplayName, line);
            }

            if (preview.Conflicts.Any() && !Force)
            {
                WriteWarning($"A baseline to {version} would be refused: the live schema contradicts {preview.Conflicts.Count()} migration(s) (label Conflict). -Force records it anyway.");
            }

            Write(preview, previewSettings, recorded: false);
            return;
        }

        Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was recorded.");
        var settings = CreateSettings() with { LockTimeout = TimeSpan.FromSeconds(LockTimeout) };
        var (plan, recorded) = MigrationUseCases.Baseline(settings, version, Force, plan =>
            plan.Describe().Aggregate(true, (all, line) => ShouldProcess(settings.Target.DisplayName, line) && all), Cancellation);
        if (!plan.ToRecord.Any())
        {
            WriteVerbose($"Nothing to record: every migration up to {version} is applied already.");
        }

        Write(plan, settings, recorded);
    });

    private void Write(BaselinePlan plan, EngineSettings settings, bool recorded)
    {
        if (plan.EvidenceWarning is not null)
        {
            WriteWarning(plan.EvidenceWarning);
        }

        if (plan.ExtraObjects.Count > 0)
        {
            WriteWarning($"The database has objects no migration up to {plan.Version} creates (reported, not a conflict): {string.Join(", ", plan.ExtraObjects)}.");
        }

        foreach (var entry in plan.Entries)
        {
            WriteObject(new MigrationBaselineEntry(new MigrationVersion(entry.Version.Text))
            {
                Name = entry.Name,
                Label = entry.Label.ToString(),
                Evidence = entry.Evidence,
                Recorded = recorded && entry.ToRecord,
                AlreadyApplied = entry.AlreadyApplied,
                Checksum = entry.Checksum,
                Environment = settings.Target.Environment,
                Target = settings.Target.DisplayName,
            });
        }
    }
}
