using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Fleet;

/// <summary>
/// Runs one use case over many targets: up to <see cref="FleetOptions.ThrottleLimit"/> at once, each target's whole run on
/// one worker (its own connection and lock, never split), an optional canary wave first, and the failure policy. It
/// returns only when every started target has finished or stopped, so nothing is left running behind the caller.
/// </summary>
internal static class FleetRunner
{
    public static FleetReport<T> Run<T>(IReadOnlyList<DatabaseTarget> targets, FleetOptions options, Func<FleetTargetRun, T> work,
        IFleetObserver<T> observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(observer);
        if (options.ThrottleLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ThrottleLimit must be at least 1.");
        }

        var outcomes = new FleetTargetOutcome<T>?[targets.Count];
        var stop = new FleetStopSignal();
        using var canceled = cancellation.Register(() => stop.Request(FleetStopReason.Canceled));
        var canary = Math.Clamp(options.Canary, 0, targets.Count);
        var wave = new Wave<T>(targets, outcomes, work, observer, stop, cancellation);
        if (canary > 0)
        {
            wave.Run(0, canary, options.ThrottleLimit, stopOnFailure: true, FleetStopReason.CanaryFailed);
        }

        if (stop.Reason == FleetStopReason.None)
        {
            wave.Run(canary, targets.Count, options.ThrottleLimit, stopOnFailure: !options.ContinueOnError, FleetStopReason.TargetFailed);
        }

        var report = Enumerable.Range(0, targets.Count)
            .Select(i => outcomes[i] ?? new FleetTargetOutcome<T>(targets[i], i, FleetTargetState.NotStarted, default, null))
            .ToList();
        return new FleetReport<T>(report, stop.Reason);
    }

    private sealed class Wave<T>(IReadOnlyList<DatabaseTarget> targets, FleetTargetOutcome<T>?[] outcomes, Func<FleetTargetRun, T> work,
        IFleetObserver<T> observer, FleetStopSignal stop, CancellationToken cancellation)
    {
        public void Run(int start, int end, int throttle, bool stopOnFailure, FleetStopReason failureReason)
        {
            var next = start - 1;
            Exception? observerError = null;
            void Worker()
            {
                int index;
                while (stop.Reason == FleetStopReason.None && (index = Interlocked.Increment(ref next)) < end)
                {
                    try
                    {
                        var outcome = RunOne(index);
                        if (outcome.State == FleetTargetState.Failed && stopOnFailure)
                        {
                            stop.Request(failureReason);
                        }

                        observer.TargetFinished(outcome);
                    }
                    catch (Exception e)
                    {
                        // The observer failed (the host's pipeline stopped): start nothing more, and tell the caller once all are done.
                        Interlocked.CompareExchange(ref observerError, e, null);
                        stop.Request(FleetStopReason.Canceled);
                    }
                }
            }

            var workers = Enumerable.Range(0, Math.Min(throttle, end - start))
                .Select(_ => Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
                .ToArray();
            Task.WaitAll(workers, CancellationToken.None);
            if (observerError is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(observerError).Throw();
            }
        }

        private FleetTargetOutcome<T> RunOne(int index)
        {
            var run = new FleetTargetRun(targets[index], index, stop, cancellation);
            observer.TargetStarting(run);
            FleetTargetOutcome<T> outcome;
            try
            {
                outcome = new(run.Target, index, FleetTargetState.Succeeded, work(run), null);
            }
            catch (OperationCanceledException e) when (run.StopRequested || cancellation.IsCancellationRequested)
            {
                outcome = new(run.Target, index, FleetTargetState.Stopped, default, e);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                outcome = new(run.Target, index, FleetTargetState.Failed, default, e);
            }
            finally
            {
                // A pooled connection per target would keep hundreds open (and run into the server's max_connections), and
                // a connection pool per target would grow the process with every target done.
                Databases.DatabaseDialects.For(run.Target.Dialect).ReleaseConnections(run.Target);
            }

            outcomes[index] = outcome;
            return outcome;
        }
    }
}
