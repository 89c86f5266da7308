using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class SetNotNullRule : ExistingTableActionRule
{
    public override string Id => "set-not-null";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove there are no nulls.";

    public override string Remedy => "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.SetNotNull && action.Column is { } column &&
        !context.IsNewColumn(statement.Target!, column, statement.Index) &&
        !context.HasValidatedNotNullCheck(statement.Target!, column, statement.Index)
            ? $"sets {statement.Target!.Display}.{column.Display} NOT NULL: scans the table under ACCESS EXCLUSIVE"
            : null;
}
