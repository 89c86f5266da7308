using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class ChangeColumnTypeRule : ExistingTableActionRule
{
    public override string Id => "change-column-type";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Rewrites;

    public override string Description => "Changing a column's type usually rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, and running code may not handle the new type.";

    public override string Remedy => "Add a new column of the new type, dual-write and backfill it, switch reads, then drop the old column. Widening varchar(n), varchar to text or numeric precision is safe.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind != AlterActionKind.AlterColumnType || action.Column is not { } column || action.NewType is not { } newType)
        {
            return null;
        }

        if (context.IsNewColumn(statement.Target!, column, statement.Index))
        {
            return null;
        }

        var old = context.KnownType(statement.Target!, column, statement.Index);
        if (old is not null && !action.Using && SqlTypes.IsMetadataOnly(old, newType))
        {
            return null;
        }

        return old is null
            ? $"changes the type of {statement.Target!.Display}.{column.Display} to {newType}"
            : $"changes the type of {statement.Target!.Display}.{column.Display} from {old} to {newType}: rewrites the table";
    }
}
