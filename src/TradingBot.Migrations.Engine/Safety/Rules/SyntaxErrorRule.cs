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
            else if (context.Dialect == Sql.SqlDialect.Sqlite && s.Kind == StatementKind.AlterTable && SqliteRefusal(s) is { } refusal)
            {
                sink.Report(this, s, refusal);
            }
        }
    }

    // SQLite's ALTER TABLE knows RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN, with limits on ADD.
    private static string? SqliteRefusal(StatementInfo s)
    {
        foreach (var a in s.Actions)
        {
            switch (a.Kind)
            {
                case AlterActionKind.RenameTable or AlterActionKind.RenameColumn or AlterActionKind.DropColumn:
                    break;
                case AlterActionKind.AddColumn when a.Definition is { } d:
                    if (d.PrimaryKey || d.Unique)
                    {
                        return "SQLite cannot add a PRIMARY KEY or UNIQUE column";
                    }

                    if (d.GeneratedStored)
                    {
                        return "SQLite cannot add a STORED generated column";
                    }

                    if (d.NonConstantDefault)
                    {
                        return "SQLite cannot add a column whose default is CURRENT_TIME/DATE/TIMESTAMP or an expression";
                    }

                    break;
                default:
                    return "SQLite's ALTER TABLE only renames tables and columns, adds columns and drops columns";
            }
        }

        return s.Actions.Count > 1 ? "SQLite's ALTER TABLE takes one action per statement" : null;
    }
}
