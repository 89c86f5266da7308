using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class MissingDownRule : SafetyRule
{
    public override string Id => "missing-down";

    public override SafetySeverity Severity => SafetySeverity.Info;

    public override string Description => "Without a down script the migration cannot be undone with Undo-Migration.";

    public override string Remedy => "Add a down script that reverses the up (or an explicit, commented no-op if nothing needs undoing).";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        if (context.Migration.DownSql is null)
        {
            sink.Report(this, null, $"migration {context.Migration.Version} has no down script");
        }
    }
}
