using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddExclusionConstraintRule : ExistingTableActionRule
{
    public override string Id => "add-exclusion-constraint";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding an EXCLUDE constraint builds its index and checks every row under an ACCESS EXCLUSIVE lock; it cannot be added NOT VALID or USING INDEX.";

    public override string Remedy => "Create it on a new table, or schedule it in a maintenance window with a lock_timeout; prefer enforcing it in a new table and moving rows.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind == AlterActionKind.AddConstraint && action.Constraint == ConstraintKind.Exclude && true)
        {
            return $"adds exclusion constraint {action.ConstraintName?.Display ?? string.Empty} to {statement.Target!.Display}".Replace("  ", " ", StringComparison.Ordinal);
        }

        return null;
    }
}
