using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropNotNullRule : ExistingTableActionRule
{
    public override string Id => "drop-not-null";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "Dropping NOT NULL lets nulls in that code may not expect, and the rollback (SET NOT NULL) fails once any null is written.";

    public override string Remedy => "Make sure every reader handles null first; plan the rollback as a data fix, not a SET NOT NULL.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.DropNotNull && action.Column is { } column && !context.IsNewColumn(statement.Target!, column, statement.Index)
            ? $"drops NOT NULL from {statement.Target!.Display}.{column.Display}"
            : null;
}
