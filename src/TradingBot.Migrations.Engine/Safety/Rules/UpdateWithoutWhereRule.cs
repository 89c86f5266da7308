using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class UpdateWithoutWhereRule : StatementRule
{
    public override string Id => "update-without-where";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "An UPDATE without WHERE rewrites every row in one transaction: it locks them all, bloats the table and overwrites old values.";

    public override string Remedy => "Add the WHERE you mean, or backfill in batches (by key range) in a migration that runs outside a transaction.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.Update && !statement.HasTopLevelWhere && !context.IsNewTable(statement.Target, statement.Index))
        {
            sink.Report(this, statement, $"updates every row of {statement.Target?.Display ?? "?"}");
        }
    }
}
