using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>Reported when a rule fails on a script, so one odd file cannot stop the whole lint.</summary>
internal sealed class AnalysisErrorRule : SafetyRule
{
    public override string Id => "analysis-error";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "A rule failed while reading this script: the script was not fully checked. This is a bug in the linter.";

    public override string Remedy => "Report the script and the message; review the script by hand meanwhile.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    // Findings of this rule come from the analyzer when another rule throws.
    public override void Check(ScriptContext context, FindingSink sink)
    {
    }
}
