using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>Resolves a Failed or Modified migration explicitly: marks it applied or rolled back, or realigns checksums. Runs no script; records who repaired what.</summary>
/// <remarks>
/// <para>A non-transactional migration that stopped part-way is recorded as Failed, and Invoke-Migration refuses to go on past it.
/// Once you have finished or undone its changes by hand, Repair-Migration says which: -Action MarkApplied records it as applied
/// with the file's checksum, MarkRolledBack deletes its history row. -Action UpdateChecksum takes the file's checksum for a
/// migration edited cosmetically after it was applied (every Modified migration when -Version is left out).</para>
/// <para>It runs no migration script. It takes the run lock, and writes who repaired what, when, and the previous state and
/// checksums to the audit table &lt;history table&gt;_repairs. ConfirmImpact is High: -Force or -Confirm:$false in scripts (without
/// either, a session that cannot answer is refused before anything is touched: NonInteractiveConfirmation);
/// -WhatIf shows what it would do.</para>
/// </remarks>
/// <example>
/// <code>Repair-Migration -Version 1.0.7 -Action MarkRolledBack -WhatIf</code>
/// <para>Shows what marking the failed migration 1.0.7 as rolled back would change, and changes nothing.</para>
/// </example>
/// <example>
/// <code>Repair-Migration -Action UpdateChecksum -Force</code>
/// <para>After fixing typos in comments of applied migrations, records the new checksums so Invoke-Migration runs again.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Repair, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigrationRepairResult))]
public sealed class RepairMigrationCommand : MigrationCmdletBase
{
    /// <summary>The migration to repair. Optional with -Action UpdateChecksum, which then realigns every Modified migration.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.RepairVersionCompleter))]
    public string? Version { get; set; }

    /// <summary>MarkApplied, MarkRolledBack or UpdateChecksum.</summary>
    [Parameter(Mandatory = true)]
    public MigrationRepairAction Action { get; set; }

    /// <summary>How long to wait for a running migration's lock, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int LockTimeout { get; set; } = 300;

    /// <summary>Repair without asking (unless -Confirm is given too).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private bool IsWhatIf => Confirmation.IsWhatIf(this);

    protected override void ProcessRecord() => Guard(() =>
    {
        var version = ParseVersion();
        var action = Action.ToEngine();
        if (IsWhatIf)
        {
            // Plans on a read-only look: -WhatIf creates nothing, not even the history table.
            var previewSettings = CreateSettings(readOnly: true);
            foreach (var step in MigrationUseCases.PreviewRepair(previewSettings, action, version, Cancellation))
            {
                WriteVerbose("What if: " + step.Describe());
                ShouldProcess(previewSettings.Target.DisplayName, step.Describe());
            }

            return;
        }

        Confirmation.RefuseIfUnanswerable(this, Force, "Nothing was repaired.");
        var settings = CreateSettings() with { LockTimeout = TimeSpan.FromSeconds(LockTimeout) };
        var target = settings.Target;
        var done = MigrationUseCases.Repair(settings, action, version, step =>
        {
            var confirmed = (Force && !MyInvocation.BoundParameters.ContainsKey("Confirm")) || ShouldProcess(target.DisplayName, step.Describe());
            if (!confirmed)
            {
                WriteVerbose($"Declined: {step.Describe()}.");
            }

            return confirmed;
        }, Cancellation);
        if (done.Count == 0)
        {
            WriteVerbose($"Nothing to repair on {target.DisplayName}.");
        }

        foreach (var step in done)
        {
            WriteVerbose($"{step.Describe()}; recorded in {settings.HistoryTable.RepairLog}.");
            WriteObject(new MigrationRepairResult(new MigrationVersion(step.Version), step.Action.ToOutput(), step.PreviousState.ToOutput())
            {
                Name = step.Name,
                PreviousChecksum = step.PreviousChecksum,
                NewChecksum = step.NewChecksum,
                RepairedBy = settings.AppliedBy,
                Environment = target.Environment,
                Target = target.DisplayName,
            });
        }
    });

    private Engine.Catalog.MigrationVersion? ParseVersion() =>
        Version is null ? null : ParseVersionParameter(Version, "-Version", MigrationErrors.InvalidRepairVersion);
}
