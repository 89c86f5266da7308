using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddGeneratedStoredColumnRule : ExistingTableActionRule
{
    public override string Id => "add-generated-stored-column";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Rewrites;

    public override string Description => "Adding a STORED generated column computes it for every row: a full table rewrite under an ACCESS EXCLUSIVE lock.";

    public override string Remedy => "Add a plain nullable column, backfill it in batches and keep it current with a trigger, or use a VIRTUAL generated column (PostgreSQL 18+).";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.AddColumn && action.Definition is { GeneratedStored: true } d
            ? $"adds stored generated column {statement.Target!.Display}.{d.Name.Display}: rewrites the table"
            : null;
}
