using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropIndexNonConcurrentlyRule : StatementRule
{
    public override string Id => "drop-index-non-concurrently";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table, queueing every read behind it.";

    public override string Remedy => "Use DROP INDEX CONCURRENTLY in a migration that runs outside a transaction (-- transaction: none).";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.DropIndex || statement.Concurrently)
        {
            return;
        }

        var existing = statement.Targets.Where(i => !context.IsNewIndex(i, statement.Index)).Select(i => i.Display).ToList();
        if (existing.Count > 0)
        {
            sink.Report(this, statement, $"drops index {string.Join(", ", existing)} under an ACCESS EXCLUSIVE lock");
        }
    }
}
