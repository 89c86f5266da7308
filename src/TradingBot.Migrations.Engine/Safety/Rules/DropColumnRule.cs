using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropColumnRule : ExistingTableActionRule
{
    public override string Id => "drop-column";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Dropping a column destroys its data, and running application code that still selects or writes it fails.";

    public override string Remedy => "Stop reading and writing the column first (ignore it in the ORM), deploy, then drop it in a later migration.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        base.Check(context, statement, sink);
        if (statement.Kind != StatementKind.DropTable)
        {
            return;
        }

        // SQLite's way to drop a column: copy the table without it, drop the old one, rename the copy.
        foreach (var table in statement.Targets)
        {
            foreach (var column in context.ColumnsLeftOutByRebuild(table, statement.Index))
            {
                sink.Report(this, statement, $"rebuilds {table.Display} without column {column}: its data is dropped");
            }
        }
    }

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.DropColumn && action.Column is { } column && !context.IsNewColumn(statement.Target!, column, statement.Index)
            ? $"drops column {statement.Target!.Display}.{column.Display} and its data"
            : null;
}
