using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class CreateIndexNonConcurrentlyRule : StatementRule
{
    public override string Id => "create-index-non-concurrently";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "CREATE INDEX without CONCURRENTLY blocks every write to the table for as long as the build takes.";

    public override string Remedy => "Use CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction (-- transaction: none).";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.CreateIndex && !statement.Concurrently && !statement.OnlyParent && statement.Target is { } table &&
            !context.IsNewTable(table, statement.Index))
        {
            sink.Report(this, statement, $"builds index {statement.IndexName?.Display ?? "(unnamed)"} on {table.Display} while blocking writes");
        }
    }
}
