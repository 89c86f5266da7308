using System.Diagnostics;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// Executes a plan, step by step, each in its own transaction with its history change (unless the
/// script opts out). Stops at the first failure. Has no opinions about what to run.
/// </summary>
public sealed class Migrator(IDatabaseSession session, IPowerShellMigrationRunner? powerShell, string appliedBy, StepTimeouts? defaults = null)
{
    public IReadOnlyList<StepResult> Execute(MigrationPlan plan, IMigrationObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(observer);
        var results = new List<StepResult>(plan.Steps.Count);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var step = plan.Steps[i];
            observer.StepStarting(step, i, plan.Steps.Count);
            var startedAt = DateTime.UtcNow;
            var started = Stopwatch.GetTimestamp();
            StepOutcome outcome;
            try
            {
                outcome = Run(step, startedAt, started, observer, cancellation) ? StepOutcome.Succeeded : StepOutcome.Skipped;
            }
            catch (Exception)
            {
                var failed = new StepResult(step, StepOutcome.Failed, startedAt, Stopwatch.GetElapsedTime(started));
                results.Add(failed);
                observer.StepFinished(failed);
                throw;
            }

            var result = new StepResult(step, outcome, startedAt, Stopwatch.GetElapsedTime(started));
            results.Add(result);
            observer.StepFinished(result);
        }

        return results;
    }

    private bool Run(PlannedStep step, DateTime startedAt, long started, IMigrationObserver observer, CancellationToken cancellation)
    {
        var version = step.Migration.Version.Text;
        HistoryChange Change() => step.Direction == MigrationDirection.Down
            ? new HistoryChange.Delete(version)
            : new HistoryChange.Insert(new HistoryRecord(version, step.Migration.Name, step.Migration.ChecksumFor(session.Dialect)!, startedAt, appliedBy,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, HistoryState.Applied, null));

        if (step.Migration.Kind == MigrationKind.PowerShell)
        {
            return RunPowerShell(step, Change, cancellation);
        }

        var statements = SqlStatementSplitter.Split(step.Script.Text, session.Dialect);
        var script = new StepScript(version, step.Script.Path, statements, step.Script.Directives.LockTimeout ?? defaults?.LockTimeout, step.Script.Directives.StatementTimeout ?? defaults?.StatementTimeout);
        if (step.RunsInTransaction)
        {
            // The history row's execution time is taken when the batch is built, so it excludes the script itself; acceptable for one round trip.
            return session.RunInTransaction(script, Change(), observer, cancellation);
        }

        session.RunWithoutTransaction(script, Change(), observer, cancellation);
        return true;
    }

    private bool RunPowerShell(PlannedStep step, Func<HistoryChange> change, CancellationToken cancellation)
    {
        if (powerShell is null)
        {
            throw new MigrationException(MigrationErrorKind.MigrationFailed, "PowerShellHostRequired",
                $"Migration {step.Migration.Version} is a PowerShell script; run it through the PowerShell module.")
            { Version = step.Migration.Version.Text, FilePath = step.Script.Path };
        }

        using var transaction = session.BeginTransaction(step.Migration.Version.Text, cancellation);
        var context = new MigrationContext(transaction, step.Migration.Version.Text, step.Migration.Name, session.Dialect.ToString());
        powerShell.Run(step, context);
        cancellation.ThrowIfCancellationRequested();
        return transaction.Commit(change());
    }
}

/// <summary>An environment's PostgreSQL lock_timeout and statement_timeout, used where a script has no directive of its own.</summary>
public sealed record StepTimeouts(string? LockTimeout, string? StatementTimeout);
