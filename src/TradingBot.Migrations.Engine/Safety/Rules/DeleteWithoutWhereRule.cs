using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DeleteWithoutWhereRule : StatementRule
{
    public override string Id => "delete-without-where";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "A DELETE without WHERE empties the table, row by row, holding locks for the whole run.";

    public override string Remedy => "Add the WHERE you mean; to empty a table on purpose, say so with a suppression and a reason.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.Delete && !statement.HasTopLevelWhere && !context.IsNewTable(statement.Target, statement.Index))
        {
            sink.Report(this, statement, $"deletes every row of {statement.Target?.Display ?? "?"}");
        }
    }
}
