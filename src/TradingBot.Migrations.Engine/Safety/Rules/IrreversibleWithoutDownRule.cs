using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class IrreversibleWithoutDownRule : SafetyRule
{
    public override string Id => "irreversible-without-down";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "The up script destroys or narrows data (a USING that rewrites the values included) and there is no down script: the change cannot be rolled back, and the data is gone.";

    public override string Remedy => "Write a down script (and keep a backup or a copy of what is dropped), or split the destructive step into its own later migration.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        if (context.HasEffectiveDown)
        {
            return;
        }

        foreach (var loss in DataLoss.Find(context, filteredDeletes: false))
        {
            sink.Report(this, loss.Statement, $"destroys {loss.Lost} and there is no down script");
        }
    }
}
