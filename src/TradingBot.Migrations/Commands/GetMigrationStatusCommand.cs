using System.Management.Automation;
using TradingBot.Migrations.Engine;

namespace TradingBot.Migrations.Commands;

/// <summary>Shows every migration version, from the folder and the history table, with its state.</summary>
/// <remarks>
/// <para>Emits one MigrationStatus object per version known from the migrations folder or the history table:
/// Version, Name, State (Applied, Pending, Modified when the file's checksum differs from the one recorded,
/// Missing when applied but the files are gone, Failed when a non-transactional migration stopped part-way),
/// AppliedAt (UTC), AppliedBy, Duration, Checksum, OutOfOrder, HasDown and Target (never a password).</para>
/// <para>It only reads: a SQLite file that does not exist is not created, and a missing history table means everything is Pending.</para>
/// </remarks>
/// <example>
/// <code>Get-MigrationStatus | Where-Object State -eq Pending</code>
/// <para>Lists the migrations that Invoke-Migration would apply to ./dev.db.</para>
/// </example>
/// <example>
/// <code>Get-MigrationStatus -Database $env:QA_DATABASE_URL -State Failed, Modified</code>
/// <para>Shows only the versions that need attention on a PostgreSQL database.</para>
/// </example>
/// <example>
/// <code>Get-MigrationStatus | Where-Object Version -gt 1.0.2</code>
/// <para>Versions compare part by part, so 1.0.10 comes after 1.0.9.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Get-MigrationStatus -State Pending | Group-Object Target | Select-Object Name, Count</code>
/// <para>Which tenants are behind, and by how many migrations: one line per database URL in tenants.txt, read four at a time.</para>
/// </example>
/// <returns>PSObject: with -AsPlainObject, a flat record (PSCustomObject) per version instead of a MigrationStatus: text versions, enum names, ISO 8601 UTC times, DurationMs.</returns>
[Cmdlet(VerbsCommon.Get, "MigrationStatus")]
[OutputType(typeof(MigrationStatus), typeof(PSObject))]
public sealed class GetMigrationStatusCommand : FleetCmdletBase
{
    /// <summary>Only versions in these states.</summary>
    [Parameter]
    public MigrationState[]? State { get; set; }

    /// <summary>Emit flat records of strings, numbers and booleans (text versions, enum names, ISO 8601 UTC times, DurationMs) that stay flat through Select-Object.</summary>
    [Parameter]
    public SwitchParameter AsPlainObject { get; set; }

    // A status read never stops the others: every target that can be read is shown, and the ones that cannot are errors.
    protected override void EndProcessing() =>
        ForEachTarget("Reading migration status", _ => { }, (target, run) => Show(target, run?.Cancellation ?? Cancellation));

    private void Show(Engine.Configuration.ResolvedTarget target, CancellationToken cancellation)
    {
        var settings = CreateSettings(target, readOnly: true);
        var report = MigrationUseCases.Status(settings, cancellation);
        foreach (var entry in report.Entries)
        {
            var status = OutputMapper.ToStatus(entry, settings.Target, report.Dialect);
            if (State is null || State.Contains(status.TypedState))
            {
                WriteObject(AsPlainObject ? PlainRecord.From(status) : status);
            }
        }
    }
}
