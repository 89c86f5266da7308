using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class RenameEnumValueRule : StatementRule
{
    public override string Id => "rename-enum-value";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Renaming an enum value breaks running code and stored queries that still write or compare the old label.";

    public override string Remedy => "Add the new value (ALTER TYPE ... ADD VALUE), migrate rows and code to it, and stop using the old one.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.AlterType && statement.Subject == "RENAME VALUE")
        {
            sink.Report(this, statement, $"renames a value of enum {statement.Target?.Display ?? "?"}");
        }
    }
}
