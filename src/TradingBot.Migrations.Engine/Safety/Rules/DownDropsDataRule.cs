using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DownDropsDataRule : SafetyRule
{
    public override string Id => "down-drops-data";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "The down script destroys data that its up did not create: rolling back loses rows or columns written before this migration.";

    public override string Remedy => "Make the down undo only what the up did; keep dropped data in a side table, or mark the migration irreversible and roll forward instead.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Down;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var loss in DataLoss.Find(context, context.Up))
        {
            sink.Report(this, loss.Statement, $"rolling back destroys {loss.Lost}, which the up did not create");
        }
    }
}
