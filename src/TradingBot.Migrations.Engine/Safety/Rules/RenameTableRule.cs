using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class RenameTableRule : ExistingTableActionRule
{
    public override string Id => "rename-table";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Renaming a table breaks every running instance of the application that still uses the old name.";

    public override string Remedy => "Create the new table (or a view under the new name), move readers and writers over, then retire the old name in a later migration.";

    public override RuleDialects Dialects => RuleDialects.Both;

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.RenameTable && !context.IsRecreatedAfter(statement.Target!, statement.Index)
            ? $"renames table {statement.Target!.Display}{(action.NewName is { } n ? " to " + n.Display : string.Empty)}"
            : null;
}
