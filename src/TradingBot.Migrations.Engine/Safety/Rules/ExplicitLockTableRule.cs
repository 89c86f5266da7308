using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class ExplicitLockTableRule : StatementRule
{
    public override string Id => "explicit-lock-table";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "An explicit LOCK TABLE holds its lock to the end of the transaction and queues every conflicting query behind it.";

    public override string Remedy => "Let each statement take the lock it needs, with a lock_timeout; if you must lock, use NOWAIT and keep the transaction short.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.Lock && statement.Targets.Any(t => !context.IsNewTable(t, statement.Index)))
        {
            sink.Report(this, statement, $"locks {string.Join(", ", statement.Targets.Select(t => t.Display))} explicitly");
        }
    }
}
