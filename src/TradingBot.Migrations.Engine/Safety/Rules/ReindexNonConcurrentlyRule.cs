using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class ReindexNonConcurrentlyRule : StatementRule
{
    public override string Id => "reindex-non-concurrently";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "REINDEX without CONCURRENTLY locks out writes to the table and takes an ACCESS EXCLUSIVE lock on each index it rebuilds, blocking reads that use it, for the whole rebuild (PostgreSQL: REINDEX).";

    public override string Remedy => "Use REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a migration marked -- transaction: none.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.Reindex && !statement.Concurrently)
        {
            sink.Report(this, statement, "rebuilds indexes while blocking writes");
        }
    }
}
