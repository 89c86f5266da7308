using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddForeignKeyValidatingRule : ExistingTableActionRule
{
    public override string Id => "add-foreign-key-validating";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding a foreign key without NOT VALID checks every existing row while holding a SHARE ROW EXCLUSIVE lock on both tables, blocking writes.";

    public override string Remedy => "Add it with NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later migration; validation only takes a SHARE UPDATE EXCLUSIVE lock.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind == AlterActionKind.AddColumn && action.Definition is { } d && d.References)
        {
            return $"adds column {statement.Target!.Display}.{d.Name.Display} with an inline foreign key";
        }

        if (action.Kind == AlterActionKind.AddConstraint && action.Constraint == ConstraintKind.ForeignKey && !action.NotValid)
        {
            return $"adds foreign key {action.ConstraintName?.Display ?? string.Empty} to {statement.Target!.Display}".Replace("  ", " ", StringComparison.Ordinal);
        }

        return null;
    }
}
