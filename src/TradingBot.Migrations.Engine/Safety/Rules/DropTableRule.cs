using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropTableRule : StatementRule
{
    public override string Id => "drop-table";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Dropping a table destroys its rows, and running application code that still reads it fails.";

    public override string Remedy => "Stop using the table in code first, deploy, then drop it in a later migration (or rename it and drop after a grace period).";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.DropTable || statement.Temporary)
        {
            return;
        }

        foreach (var table in statement.Targets)
        {
            if (!context.IsNewTable(table, statement.Index) && !context.IsCopiedOut(table, statement.Index))
            {
                sink.Report(this, statement, $"drops table {table.Display} and all its rows");
            }
        }
    }
}
