using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropSchemaRule : StatementRule
{
    public override string Id => "drop-schema";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Dropping a schema drops (with CASCADE) or requires dropping everything in it; the data is gone.";

    public override string Remedy => "Rename or leave the schema and drop it later by hand once nothing uses it; if you must, back it up first.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.DropSchema)
        {
            return;
        }

        foreach (var schema in statement.Targets)
        {
            if (!context.IsNewSchema(schema, statement.Index))
            {
                sink.Report(this, statement, $"drops schema {schema.Display}{(statement.Cascade ? " and everything in it (CASCADE)" : string.Empty)}");
            }
        }
    }
}
