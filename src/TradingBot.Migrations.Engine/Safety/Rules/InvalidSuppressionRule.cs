using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class InvalidSuppressionRule : SafetyRule
{
    public override string Id => "invalid-suppression";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "A suppression comment must name known rule ids and give a reason; otherwise it is ignored.";

    public override string Remedy => "Write -- safety: ignore <rule-id>[, <rule-id>...] reason: <why this is safe here>.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    // Findings of this rule come from the suppression reader, not from the statements.
    public override void Check(ScriptContext context, FindingSink sink)
    {
    }
}
