using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class TruncateCascadeRule : StatementRule
{
    public override string Id => "truncate-cascade";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "TRUNCATE ... CASCADE also empties every table that references the named ones, which the script does not name.";

    public override string Remedy => "Name each table to empty explicitly, without CASCADE, so the review sees what is deleted.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.Truncate && statement.Cascade)
        {
            sink.Report(this, statement, $"truncates {string.Join(", ", statement.Targets.Select(t => t.Display))} and, through CASCADE, every table referencing them");
        }
    }
}
