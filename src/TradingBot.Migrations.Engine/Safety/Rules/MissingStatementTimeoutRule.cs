using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class MissingStatementTimeoutRule : SafetyRule
{
    public override string Id => "missing-statement-timeout";

    public override SafetySeverity Severity => SafetySeverity.Info;

    public override string Description => "A statement that scans or rewrites a table under a strong lock has no upper bound on how long it blocks the application.";

    public override string Remedy => "SET statement_timeout (SET LOCAL in a transaction) to the longest outage you accept, or rework the statement so it does not hold the lock while scanning.";

    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var s in context.Statements)
        {
            if (!context.Before[s.Index].StatementTimeout && Locks.ScansUnderStrongLock(context, s) is { } table)
            {
                sink.Report(this, s, $"scans or rewrites {table} under a strong lock with no statement_timeout");
                return;
            }
        }
    }
}
