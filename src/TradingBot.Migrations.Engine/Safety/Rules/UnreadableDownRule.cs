using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>A PowerShell Down whose SQL is built when it runs: the rollback check cannot say what it destroys.</summary>
internal sealed class UnreadableDownRule : SafetyRule
{
    public override string Id => "unreadable-down";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "The down is a PowerShell block that builds the SQL it sends when it runs (a variable, an expandable string, an expression): the rollback check cannot read what it destroys.";

    public override string Remedy => "Pass constant SQL ('single-quoted' or a here-string) to $Migration.Execute in the Down block, with the values as parameters; or review the down by hand before rolling back.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Down;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var line in context.Migration.UnreadableDownCalls)
        {
            var message = line is null
                ? $"the Down block of {System.IO.Path.GetFileName(context.File)} could not be read without running it"
                : "this call's SQL is only known when the Down runs";
            if (line is { } l)
            {
                sink.ReportAt(this, l, null, message);
            }
            else
            {
                sink.Report(this, null, message);
            }
        }
    }
}
