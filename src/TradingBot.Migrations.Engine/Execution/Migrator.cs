using System.Diagnostics;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// Executes a plan, step by step, each in its own transaction with its history change (unless the
/// script opts out). Stops at the first failure. Has no opinions about what to run. Where the executor declares the
/// ability (<see cref="IStepExecutor.Pipeline"/>), consecutive transactional SQL steps go to the server in one send.
/// </summary>
internal sealed class Migrator(IStepExecutor steps, IPowerShellMigrationRunner? powerShell, string appliedBy, StepTimeouts? defaults = null, LockRetry? lockRetry = null)
{
    // Limits for one send of several steps: a failure or a cancel still stops at the step it hits, so these only bound
    // the memory a send holds and how far the progress bar can lag behind the server.
    private const int MaxStepsAtOnce = 50;
    private const int MaxScriptCharsAtOnce = 1 << 20;

    public IReadOnlyList<StepResult> Execute(MigrationPlan plan, IMigrationObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(observer);
        var results = new List<StepResult>(plan.Steps.Count);
        // A step sent with others cannot be retried alone, so lock-timeout retries run each step on its own.
        var pipeline = observer.WantsStatementTiming || lockRetry is { Retries: > 0 } ? null : steps.Pipeline;
        var i = 0;
        while (i < plan.Steps.Count)
        {
            cancellation.ThrowIfCancellationRequested();
            if (observer.StopRequested)
            {
                throw new OperationCanceledException($"Stopped before migration {plan.Steps[i].Migration.Version}: the run was asked to stop between migrations.");
            }

            if (pipeline is not null && PrepareTogether(plan, i) is { Count: > 0 } together)
            {
                var ran = RunTogether(pipeline, plan, i, together, results, observer, cancellation);
                i += ran;
                if (ran == together.Count)
                {
                    continue;
                }
            }

            RunAlone(plan, i, results, observer, cancellation);
            i++;
        }

        return results;
    }

    private void RunAlone(MigrationPlan plan, int index, List<StepResult> results, IMigrationObserver observer, CancellationToken cancellation)
    {
        var step = plan.Steps[index];
        observer.StepStarting(step, index, plan.Steps.Count);
        var startedAt = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        StepOutcome outcome;
        try
        {
            outcome = RunRetryingLockTimeouts(step, startedAt, started, observer, cancellation) ? StepOutcome.Succeeded : StepOutcome.Skipped;
        }
        catch (Exception)
        {
            Finish(new StepResult(step, StepOutcome.Failed, startedAt, Stopwatch.GetElapsedTime(started)), results, observer);
            throw;
        }

        Finish(new StepResult(step, outcome, startedAt, Stopwatch.GetElapsedTime(started)), results, observer);
    }

    // The transactional SQL steps from `first` on that can go to the server in one send. Stops before a step whose
    // script cannot be read or split: that step then runs alone and fails the usual way, after the ones before it ran.
    private List<TransactionalStep> PrepareTogether(MigrationPlan plan, int first)
    {
        var together = new List<TransactionalStep>();
        var chars = 0;
        for (var i = first; i < plan.Steps.Count && together.Count < MaxStepsAtOnce; i++)
        {
            var step = plan.Steps[i];
            if (step.Migration.Kind == MigrationKind.PowerShell || !step.RunsInTransaction)
            {
                break;
            }

            StepScript script;
            try
            {
                script = Prepare(step);
            }
            catch (MigrationException)
            {
                break;
            }

            chars += step.Script.Text.Length;
            if (together.Count > 0 && chars > MaxScriptCharsAtOnce)
            {
                break;
            }

            together.Add(new TransactionalStep(script, Change(step, DateTime.UtcNow, Stopwatch.GetTimestamp())));
        }

        return together;
    }

    // The server answers a send all at once, so each step's time is the server's (its transaction's start to its
    // history change) and the progress bar shows the first step of a send until the answer comes.
    private static int RunTogether(IStepPipeline pipeline, MigrationPlan plan, int first, List<TransactionalStep> together,
        List<StepResult> results, IMigrationObserver observer, CancellationToken cancellation)
    {
        observer.StepStarting(plan.Steps[first], first, plan.Steps.Count);
        var sentAt = DateTime.UtcNow;
        var spent = TimeSpan.Zero; // the server's time for the steps reported so far; a failed step's time is the client's after it
        var done = 0;
        var reporting = false; // an exception from the observer (a stopped pipeline) is not a failed step
        try
        {
            return pipeline.RunInTransactions(together, (k, timing) =>
            {
                reporting = true;
                var (startedAt, elapsed) = timing is { } t ? (t.StartedAtUtc, t.Elapsed) : (sentAt + spent, TimeSpan.Zero);
                spent += elapsed;
                done = k + 1;
                Finish(new StepResult(plan.Steps[first + k], StepOutcome.Succeeded, startedAt, elapsed), results, observer);
                if (done < together.Count)
                {
                    observer.StepStarting(plan.Steps[first + done], first + done, plan.Steps.Count);
                }

                reporting = false;
            }, cancellation);
        }
        catch (Exception) when (!reporting && done < together.Count)
        {
            var startedAt = sentAt + spent;
            var elapsed = DateTime.UtcNow - startedAt;
            Finish(new StepResult(plan.Steps[first + done], StepOutcome.Failed, startedAt, elapsed > TimeSpan.Zero ? elapsed : TimeSpan.Zero), results, observer);
            throw;
        }
    }

    private static void Finish(StepResult result, List<StepResult> results, IMigrationObserver observer)
    {
        results.Add(result);
        observer.StepFinished(result);
    }

    private StepScript Prepare(PlannedStep step) =>
        new(step.Migration.Version.Text, step.Migration.Name, step.Script.Path, step.Script.StatementsFor(steps.Dialect),
            step.Script.Directives.LockTimeout ?? defaults?.LockTimeout, step.Script.Directives.StatementTimeout ?? defaults?.StatementTimeout,
            step.Direction, step.RunsInTransaction, lockRetry);

    private HistoryChange Change(PlannedStep step, DateTime startedAt, long started)
    {
        var version = step.Migration.Version.Text;
        return step.Direction == MigrationDirection.Down
            ? new HistoryChange.Delete(version)
            : new HistoryChange.Insert(new HistoryRecord(version, step.Migration.Name, step.Migration.ChecksumFor(steps.Dialect)!, startedAt, appliedBy,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, HistoryState.Applied, null));
    }

    // A transactional SQL step stopped by its lock_timeout was rolled back whole, so it runs again; the attempt that
    // succeeds records how many there were. Steps outside a transaction retry single statements in the executor.
    private bool RunRetryingLockTimeouts(PlannedStep step, DateTime startedAt, long started, IMigrationObserver observer, CancellationToken cancellation)
    {
        if (lockRetry is null || step.Migration.Kind != MigrationKind.Sql || !step.RunsInTransaction)
        {
            return Run(step, startedAt, started, observer, 1, cancellation);
        }

        return lockRetry.Run(attempt => Run(step, startedAt, started, observer, attempt, cancellation), () => Prepare(step).LockTimeout,
            () => true, () => $"Migration {step.Migration.Version}", observer.Retrying, cancellation);
    }

    private bool Run(PlannedStep step, DateTime startedAt, long started, IMigrationObserver observer, int attempt, CancellationToken cancellation)
    {
        if (step.Migration.Kind == MigrationKind.PowerShell)
        {
            return RunPowerShell(step, () => Change(step, startedAt, started), cancellation);
        }

        var script = Prepare(step);
        if (step.RunsInTransaction)
        {
            return steps.RunInTransaction(script, Change(step, startedAt, started).WithAttempts(attempt), observer, cancellation);
        }

        steps.RunWithoutTransaction(script, Change(step, startedAt, started), observer, cancellation);
        return true;
    }

    private bool RunPowerShell(PlannedStep step, Func<HistoryChange> change, CancellationToken cancellation)
    {
        if (powerShell is null)
        {
            throw new MigrationException(MigrationErrors.PowerShellHostRequired,
                $"Migration {step.Migration.Version} is a PowerShell script; run it through the PowerShell module.")
            { Version = step.Migration.Version.Text, FilePath = step.Script.Path };
        }

        using var transaction = steps.BeginTransaction(step.Migration.Version.Text, cancellation);
        var context = new MigrationContext(transaction, step.Migration.Version.Text, step.Migration.Name, steps.Dialect.ToString());
        powerShell.Run(step, context);
        cancellation.ThrowIfCancellationRequested();
        return transaction.Commit(change());
    }
}

/// <summary>An environment's PostgreSQL lock_timeout and statement_timeout, used where a script has no directive of its own.</summary>
internal sealed record StepTimeouts(string? LockTimeout, string? StatementTimeout);
