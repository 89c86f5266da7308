using System.Management.Automation;
using TradingBot.Migrations.Engine;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// <para type="synopsis">Shows every migration version, from the folder and the history table, with its state.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MigrationStatus")]
[OutputType(typeof(MigrationStatus), typeof(PSObject))]
public sealed class GetMigrationStatusCommand : MigrationCmdletBase
{
    /// <summary>Only versions in these states.</summary>
    [Parameter]
    public MigrationState[]? State { get; set; }

    /// <summary>Emit flat records (text versions, ISO 8601 UTC times, enum names, DurationMs) for ConvertTo-Json and Export-Csv.</summary>
    [Parameter]
    public SwitchParameter AsPlainObject { get; set; }

    protected override void EndProcessing() => Guard(() =>
    {
        var settings = CreateSettings(readOnly: true);
        using var engine = MigrationEngine.Open(settings, Cancellation);
        foreach (var entry in engine.GetStatus(Cancellation))
        {
            var status = OutputMapper.ToStatus(entry, engine.Target, engine.Session.Dialect);
            if (State is null || State.Contains(status.State))
            {
                WriteObject(AsPlainObject ? PlainRecord.From(status) : status);
            }
        }
    });
}
