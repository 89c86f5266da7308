using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class UncommittedTransactionRule : SafetyRule
{
    public override string Id => "uncommitted-transaction";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "A BEGIN without COMMIT leaves a transaction open at the end of the script: the migrator's commit or the connection's close decides what happens, and locks are held until then.";

    public override string Remedy => "End every BEGIN in the script with COMMIT, or drop the BEGIN and let the migrator run the script in its transaction.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        if (context.OpenTransactionsAtEnd == 0)
        {
            return;
        }

        var begin = context.Statements.Last(s => s.Kind == StatementKind.Begin && context.Before[s.Index].ExplicitTransactionDepth == 0);
        sink.Report(this, begin, "opens a transaction that the script never commits");
    }
}
