using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>A down that undoes its up by dropping what the up created takes every value written since with it: a lossy rollback.</summary>
internal sealed class DownDropsNewDataRule : SafetyRule
{
    public override string Id => "down-drops-new-data";

    public override SafetySeverity Severity => SafetySeverity.Info;

    public override string Description => "The down drops a table or column its up created: rolling back destroys every value written to it since the migration was applied, so the rollback is Lossy.";

    public override string Remedy => "Before rolling back, copy what was written since (CREATE TABLE ... AS SELECT, or a dump of the column); or roll forward with a new migration instead of rolling back once the data matters.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Down;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        if (context.Up is null)
        {
            return;
        }

        foreach (var loss in DataLoss.FindUndone(context, context.Up))
        {
            sink.Report(this, loss.Statement, $"rolling back destroys {loss.Lost} (rollback: Lossy)");
        }
    }
}
