using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddUniqueConstraintRule : ExistingTableActionRule
{
    public override string Id => "add-unique-constraint";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding a UNIQUE constraint builds its index while blocking reads and writes (ACCESS EXCLUSIVE).";

    public override string Remedy => "CREATE UNIQUE INDEX CONCURRENTLY first (transaction: none), then ADD CONSTRAINT ... UNIQUE USING INDEX.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind == AlterActionKind.AddColumn && action.Definition is { } d && d.Unique)
        {
            return $"adds column {statement.Target!.Display}.{d.Name.Display} with an inline unique constraint";
        }

        if (action.Kind == AlterActionKind.AddConstraint && action.Constraint == ConstraintKind.Unique && !action.UsingIndex)
        {
            return $"adds unique constraint {action.ConstraintName?.Display ?? string.Empty} to {statement.Target!.Display}".Replace("  ", " ", StringComparison.Ordinal);
        }

        return null;
    }
}
