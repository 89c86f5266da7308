using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class MissingLockTimeoutRule : SafetyRule
{
    public override string Id => "missing-lock-timeout";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "A statement that needs a strong lock waits behind any long query on the table, and every query after it queues behind it: a short migration can stall the application.";

    public override string Remedy => "SET lock_timeout = '5s' (SET LOCAL in a transaction) before the first DDL on an existing table, and retry the migration if it times out.";

    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var s in context.Statements)
        {
            if (!context.Before[s.Index].LockTimeout && Locks.TakesStrongLock(context, s) is { } table)
            {
                sink.Report(this, s, $"locks {table} with no lock_timeout set before it");
                return;
            }
        }
    }
}
