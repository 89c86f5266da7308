using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class VolatileDefaultRule : ExistingTableActionRule
{
    public override string Id => "volatile-default";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Rewrites;

    public override string Description => "A column added with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), serial, identity) rewrites the whole table under an ACCESS EXCLUSIVE lock; constant and stable defaults such as now() do not (PostgreSQL 11+).";

    public override string Remedy => "Add the column without the default (or with a constant), set the default afterwards with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches.";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action)
    {
        if (action.Kind != AlterActionKind.AddColumn || action.Definition is not { } d || !(d.VolatileDefault || d.Identity))
        {
            return null;
        }

        var what = d.Identity ? "an identity" : d.VolatileFunction ?? "a volatile default";
        return $"adds column {statement.Target!.Display}.{d.Name.Display} with {what}: rewrites the table";
    }
}
