using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddCheckConstraintValidatingRule : ExistingTableActionRule
{
    public override string Id => "add-check-constraint-validating";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding a CHECK constraint without NOT VALID scans the whole table under an ACCESS EXCLUSIVE lock.";

    public override string Remedy => "Add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on).";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind == AlterActionKind.AddColumn && action.Definition is { } d && d.Check)
        {
            return $"adds column {statement.Target!.Display}.{d.Name.Display} with an inline check constraint";
        }

        if (action.Kind == AlterActionKind.AddConstraint && action.Constraint == ConstraintKind.Check && !action.NotValid)
        {
            return $"adds check constraint {action.ConstraintName?.Display ?? string.Empty} to {statement.Target!.Display}".Replace("  ", " ", StringComparison.Ordinal);
        }

        return null;
    }
}
