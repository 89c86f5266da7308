using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class TransactionNestingRule : StatementRule
{
    public override string Id => "transaction-nesting";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "Transaction control inside a script the migrator already runs in a transaction commits (or aborts) the migrator's transaction early: what follows runs without it and the history row may not match.";

    public override string Remedy => "Remove BEGIN/COMMIT and let the migrator own the transaction, or mark the migration -- transaction: none and manage transactions yourself.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        var before = context.Before[statement.Index];
        if (statement.Kind == StatementKind.Begin && before.InTransaction)
        {
            sink.Report(this, statement, before.ExplicitTransactionDepth > 0 ? "BEGIN inside a BEGIN block" : "BEGIN inside the migration's own transaction");
        }
        else if (statement.Kind is StatementKind.Commit or StatementKind.Rollback && before.ExplicitTransactionDepth == 0)
        {
            sink.Report(this, statement, context.RunsInTransaction
                ? $"{statement.Statement.Verb} ends the migration's own transaction early"
                : $"{statement.Statement.Verb} without a BEGIN");
        }
    }
}
