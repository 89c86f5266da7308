using System.Globalization;
using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Fleet;
using TradingBot.Migrations.Errors;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Runs a cmdlet's one-target work over many targets through the engine's fleet runner: the workers' output (each
/// target's as one block once it is done, for the #Fleet views), warnings, questions and PowerShell migrations are made
/// on the pipeline thread; a progress bar counts targets done, failed and remaining; each failed target is an
/// ErrorRecord that names it; and the run ends in one terminating error when any target failed, stopped or never started.
/// </summary>
internal sealed class FleetHost(PSCmdlet cmdlet, string activity)
{
    private const int ProgressId = 2;

    /// <summary>
    /// Runs <paramref name="work"/> once per target; <paramref name="attach"/> is given the run's dispatcher (and null at the end)
    /// for what must go to the pipeline thread without the command runtime, such as PowerShell migrations.
    /// </summary>
    public void Run(IReadOnlyList<ResolvedTarget> targets, FleetOptions options, Action<ResolvedTarget, FleetTargetRun> work,
        Action<PipelineDispatcher?> attach, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(attach);
        var progress = new Progress(cmdlet, activity, targets.Count);
        var report = BackgroundWork.Run(cmdlet, attach, () => MigrationUseCases.Fleet(targets.Select(t => t.Target).ToList(), options, run =>
        {
            // Each target's rows come out together, when it is done (or stopped, or failed), under its own heading.
            using (((DispatchingCommandRuntime)cmdlet.CommandRuntime).HoldOutput(FleetOutput.Tag))
            {
                work(targets[run.Index], run);
            }

            return true;
        }, progress, cancellation));
        progress.Complete();

        cancellation.ThrowIfCancellationRequested();
        if (!report.AllSucceeded)
        {
            throw new MigrationException(MigrationErrors.FleetTargetsFailed, Summary(report));
        }
    }

    private static string Summary(FleetReport<bool> report)
    {
        var failed = report.Targets.Where(t => t.State == FleetTargetState.Failed).ToList();
        var stopped = report.Count(FleetTargetState.Stopped);
        var notStarted = report.Count(FleetTargetState.NotStarted);
        var names = string.Join("; ", failed.Take(10).Select(t => $"{t.Target.DisplayName}: {t.Target.Redact(FirstLine(t.Error!.Message))}")) +
            (failed.Count > 10 ? "; ..." : string.Empty);
        var why = report.StopReason switch
        {
            FleetStopReason.CanaryFailed => " A canary failed, so no other target was started.",
            FleetStopReason.TargetFailed => " The first failure started no new target (-ContinueOnError runs the rest).",
            _ => string.Empty,
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{failed.Count} of {report.Targets.Count} target(s) failed ({names}). {stopped} stopped between migrations, {notStarted} not started, " +
            $"{report.Count(FleetTargetState.Succeeded)} succeeded.{why}");
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    private sealed class Progress(PSCmdlet cmdlet, string activity, int total) : IFleetObserver<bool>
    {
        private readonly bool errorsStop = cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var action)
            ? action is ActionPreference.Stop
            : LanguagePrimitives.TryConvertTo(cmdlet.SessionState.PSVariable.GetValue("ErrorActionPreference"), out ActionPreference preference) &&
                preference == ActionPreference.Stop;

        private int done;
        private int failed;
        private int running;

        public void TargetStarting(FleetTargetRun run)
        {
            Interlocked.Increment(ref running);
            cmdlet.WriteVerbose($"Starting {run.Target.DisplayName} (target {run.Index + 1} of {total}).");
            Write(run.Target.DisplayName);
        }

        public void TargetFinished(FleetTargetOutcome<bool> outcome)
        {
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref done);
            if (outcome.State == FleetTargetState.Failed)
            {
                Interlocked.Increment(ref failed);
                // With -ErrorAction Stop a written error would end the command at once, whatever the fleet's policy: there the
                // error that ends it, once every target is done, names each failed target.
                if (!errorsStop)
                {
                    cmdlet.WriteError(ErrorRecords.ForTarget(outcome.Target, outcome.Error!));
                }
            }
            else if (outcome.State == FleetTargetState.Stopped)
            {
                cmdlet.WriteWarning($"{outcome.Target.DisplayName}: stopped between migrations; what it applied stays applied.");
            }

            Write(outcome.Target.DisplayName);
        }

        public void Complete() =>
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });

        private void Write(string current)
        {
            var finished = Volatile.Read(ref done);
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, activity, string.Create(CultureInfo.InvariantCulture,
                $"Targets: {finished - Volatile.Read(ref failed)} done, {Volatile.Read(ref failed)} failed, {Volatile.Read(ref running)} running, {total - finished - Volatile.Read(ref running)} remaining"))
            {
                PercentComplete = total == 0 ? 100 : finished * 100 / total,
                CurrentOperation = current,
            });
        }
    }
}
