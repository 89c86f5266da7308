using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class RenameColumnRule : ExistingTableActionRule
{
    public override string Id => "rename-column";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Renaming a column breaks every running instance of the application that still uses the old name.";

    public override string Remedy => "Add the new column, write both, backfill, move readers, then drop the old one; or expose the new name through a view.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.RenameColumn && action.Column is { } column && !context.IsNewColumn(statement.Target!, column, statement.Index)
            ? $"renames {statement.Target!.Display}.{column.Display}{(action.NewName is { } n ? " to " + n.Display : string.Empty)}"
            : null;
}
