using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddPrimaryKeyConstraintRule : ExistingTableActionRule
{
    public override string Id => "add-primary-key-constraint";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding a PRIMARY KEY builds its index (and may set NOT NULL with a scan) under an ACCESS EXCLUSIVE lock.";

    public override string Remedy => "CREATE UNIQUE INDEX CONCURRENTLY first (transaction: none), make the columns NOT NULL safely, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind == AlterActionKind.AddColumn && action.Definition is { } d && d.PrimaryKey)
        {
            return $"adds column {statement.Target!.Display}.{d.Name.Display} with an inline primary key";
        }

        if (action.Kind == AlterActionKind.AddConstraint && action.Constraint == ConstraintKind.PrimaryKey && !action.UsingIndex)
        {
            return $"adds primary key {action.ConstraintName?.Display ?? string.Empty} to {statement.Target!.Display}".Replace("  ", " ", StringComparison.Ordinal);
        }

        return null;
    }
}
