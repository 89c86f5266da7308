using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class TruncateRule : StatementRule
{
    public override string Id => "truncate";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "TRUNCATE deletes every row and takes an ACCESS EXCLUSIVE lock.";

    public override string Remedy => "Delete the rows you mean to delete in batches with a WHERE, or drop the table in a later migration once unused.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.Truncate || statement.Cascade)
        {
            return;
        }

        var existing = statement.Targets.Where(t => !context.IsNewTable(t, statement.Index)).Select(t => t.Display).ToList();
        if (existing.Count > 0)
        {
            sink.Report(this, statement, $"truncates {string.Join(", ", existing)}: every row is deleted");
        }
    }
}
