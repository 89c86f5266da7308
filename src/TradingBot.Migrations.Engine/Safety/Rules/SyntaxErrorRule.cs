using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class SyntaxErrorRule : SafetyRule
{
    public override string Id => "syntax-error";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "The script has a construct the lexer cannot close or a statement no database would accept; nothing after it can be trusted to run as written.";

    public override string Remedy => "Close the string, comment, identifier, dollar body, parenthesis or BEGIN block, or fix the statement's first word.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var error in context.Parsed.Errors)
        {
            var index = context.Statements.LastOrDefault(s => s.Statement.Offset <= error.Offset)?.Index;
            sink.ReportAt(this, error.Line, index, error.Message);
        }

        foreach (var s in context.Statements)
        {
            if (s.Kind == StatementKind.Unknown && !context.Parsed.Errors.Any(e => e.Offset >= s.Statement.Offset && e.Offset < s.Statement.Offset + s.Statement.Text.Length))
            {
                sink.Report(this, s, $"no {context.Dialect} statement starts with '{s.View.Text(0)}'");
            }
        }
    }
}
