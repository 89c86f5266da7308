using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class RenameSchemaRule : StatementRule
{
    public override string Id => "rename-schema";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Renaming a schema breaks every query, search_path and grant that names it.";

    public override string Remedy => "Create the new schema and move objects over time, or leave the name alone.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.AlterSchema && statement.Subject == "RENAME" && statement.Target is { } schema && !context.IsNewSchema(schema, statement.Index))
        {
            sink.Report(this, statement, $"renames schema {schema.Display}");
        }
    }
}
