using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class ConcurrentIndexInTransactionRule : StatementRule
{
    public override string Id => "concurrent-index-in-transaction";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "CONCURRENTLY operations (CREATE INDEX, DROP INDEX, REINDEX, DETACH PARTITION, REPACK) cannot run inside a transaction block: the migration fails when it reaches this statement.";

    public override string Remedy => "Put the statement in its own migration marked -- transaction: none (and use IF NOT EXISTS so a retry works).";

    public override RuleScripts Scripts => RuleScripts.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (!context.Before[statement.Index].InTransaction)
        {
            return;
        }

        var concurrent = statement.Kind is StatementKind.CreateIndex or StatementKind.DropIndex or StatementKind.Reindex or StatementKind.Cluster && statement.Concurrently;
        concurrent |= statement.Kind == StatementKind.AlterTable && statement.Actions.Any(a => a.Kind == AlterActionKind.DetachPartition && a.Concurrently && statement.View.Contains("CONCURRENTLY"));
        if (concurrent)
        {
            var why = context.Before[statement.Index].ExplicitTransactionDepth > 0 ? "inside the script's BEGIN block" : "in a migration that runs in a transaction";
            sink.Report(this, statement, $"runs a CONCURRENTLY operation {why}; PostgreSQL refuses it");
        }
    }
}
