using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropColumnRule : ExistingTableActionRule
{
    public override string Id => "drop-column";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Dropping a column destroys its data, and running application code that still selects or writes it fails.";

    public override string Remedy => "Stop reading and writing the column first (ignore it in the ORM), deploy, then drop it in a later migration.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.DropColumn && action.Column is { } column && !context.IsNewColumn(statement.Target!, column, statement.Index)
            ? $"drops column {statement.Target!.Display}.{column.Display} and its data"
            : null;
}
