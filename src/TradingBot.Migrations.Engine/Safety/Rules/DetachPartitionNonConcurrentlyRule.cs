using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DetachPartitionNonConcurrentlyRule : ExistingTableActionRule
{
    public override string Id => "detach-partition-non-concurrently";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking its reads and writes (PostgreSQL: ALTER TABLE ... DETACH PARTITION).";

    public override string Remedy => "Use DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+; not when the table has a DEFAULT partition) in a migration marked -- transaction: none.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.DetachPartition && !action.Concurrently
            ? $"detaches a partition of {statement.Target!.Display} under an ACCESS EXCLUSIVE lock"
            : null;
}
