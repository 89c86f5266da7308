using System.Collections.Concurrent;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Fleet;

namespace TradingBot.Migrations.Engine.Tests.Fleet;

/// <summary>The fleet runner's policy on its own (no database): throttle, failure stop, ContinueOnError, canary, Ctrl+C.</summary>
public sealed class FleetRunnerTests
{
    private static List<DatabaseTarget> Targets(int count) =>
        Enumerable.Range(1, count).Select(i => DatabaseTargetParser.Parse($"postgres://app@db.example.com/tenant_{i:000}", "/")).ToList();

    private static FleetReport<int> Run(IReadOnlyList<DatabaseTarget> targets, FleetOptions options, Func<FleetTargetRun, int> work,
        CancellationToken cancellation = default) =>
        MigrationUseCases.Fleet(targets, options, work, new Recorder(), cancellation);

    [Fact]
    public void Runs_every_target_once_and_never_more_than_the_throttle_at_once()
    {
        var running = 0;
        var most = 0;
        var seen = new ConcurrentBag<int>();

        var report = Run(Targets(40), new FleetOptions(ThrottleLimit: 3), run =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(5);
            seen.Add(run.Index);
            Interlocked.Decrement(ref running);
            return run.Index;
        });

        Assert.True(report.AllSucceeded);
        Assert.Equal(Enumerable.Range(0, 40), seen.Order());
        Assert.Equal(Enumerable.Range(0, 40), report.Targets.Select(t => t.Result));
        Assert.InRange(most, 2, 3);
    }

    [Fact]
    public void The_first_failure_starts_no_new_target_and_the_ones_in_flight_are_told_to_stop()
    {
        using var failed = new ManualResetEventSlim();
        var report = Run(Targets(30), new FleetOptions(ThrottleLimit: 2), run =>
        {
            if (run.Index == 3)
            {
                failed.Set();
                throw new MigrationException(MigrationErrors.MigrationFailed, "tenant 4 is broken");
            }

            if (run.Index == 2)
            {
                // In flight when the other fails: it sees the stop between its migrations and stops cleanly.
                failed.Wait();
                SpinWait.SpinUntil(() => run.StopRequested, TimeSpan.FromSeconds(10));
                throw new OperationCanceledException("stopped between migrations");
            }

            return run.Index;
        });

        Assert.Equal(FleetStopReason.TargetFailed, report.StopReason);
        Assert.Equal(FleetTargetState.Failed, report.Targets[3].State);
        Assert.Equal("tenant 4 is broken", report.Targets[3].Error!.Message);
        Assert.Equal(FleetTargetState.Stopped, report.Targets[2].State);
        Assert.All(report.Targets.Skip(4), t => Assert.Equal(FleetTargetState.NotStarted, t.State));
        Assert.Equal(1, report.Count(FleetTargetState.Failed));
    }

    [Fact]
    public void Continue_on_error_runs_every_target_and_reports_each_failure()
    {
        var report = Run(Targets(20), new FleetOptions(ThrottleLimit: 4, ContinueOnError: true), run =>
            run.Index % 7 == 0 ? throw new InvalidOperationException($"broken {run.Index}") : run.Index);

        Assert.Equal(FleetStopReason.None, report.StopReason);
        Assert.Equal([0, 7, 14], report.Targets.Where(t => t.State == FleetTargetState.Failed).Select(t => t.Index));
        Assert.Equal(17, report.Count(FleetTargetState.Succeeded));
    }

    [Fact]
    public void A_failing_canary_stops_everything_even_with_continue_on_error()
    {
        var started = new ConcurrentBag<int>();
        var report = Run(Targets(20), new FleetOptions(ThrottleLimit: 8, ContinueOnError: true, Canary: 3), run =>
        {
            started.Add(run.Index);
            SpinWait.SpinUntil(() => started.Count >= 3, TimeSpan.FromSeconds(10)); // the three canaries run side by side
            return run.Index == 1 ? throw new InvalidOperationException("canary broke") : run.Index;
        });

        Assert.Equal(FleetStopReason.CanaryFailed, report.StopReason);
        Assert.Equal([0, 1, 2], started.Order());
        Assert.All(report.Targets.Skip(3), t => Assert.Equal(FleetTargetState.NotStarted, t.State));
    }

    [Fact]
    public void Healthy_canaries_let_the_rest_run()
    {
        var order = new ConcurrentQueue<int>();
        var report = Run(Targets(10), new FleetOptions(ThrottleLimit: 4, Canary: 2), run =>
        {
            order.Enqueue(run.Index);
            return run.Index;
        });

        Assert.True(report.AllSucceeded);
        Assert.Equal([0, 1], order.Take(2).Order());
    }

    [Fact]
    public void Cancel_stops_every_target_and_returns_only_once_all_in_flight_have_stopped()
    {
        using var cancellation = new CancellationTokenSource();
        var inFlight = 0;
        var report = Run(Targets(50), new FleetOptions(ThrottleLimit: 4), run =>
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                if (run.Index == 3) // the fourth of four in flight
                {
                    cancellation.Cancel();
                }

                run.Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
                Thread.Sleep(20); // rolling back takes a moment: the runner must wait for it
                run.Cancellation.ThrowIfCancellationRequested();
                return run.Index;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }, cancellation.Token);

        Assert.Equal(0, Volatile.Read(ref inFlight));
        Assert.Equal(FleetStopReason.Canceled, report.StopReason);
        Assert.Equal([0, 1, 2, 3], report.Targets.Where(t => t.State == FleetTargetState.Stopped).Select(t => t.Index));
        Assert.DoesNotContain(report.Targets, t => t.State == FleetTargetState.Failed);
        Assert.Contains(report.Targets, t => t.State == FleetTargetState.NotStarted);
    }

    [Fact]
    public void The_observer_hears_every_started_target_once_from_the_worker_threads()
    {
        var recorder = new Recorder();
        MigrationUseCases.Fleet(Targets(12), new FleetOptions(ThrottleLimit: 3), run => run.Index, recorder, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 12), recorder.Started.Order());
        Assert.Equal(Enumerable.Range(0, 12), recorder.Finished.Order());
    }

    [Fact]
    public void Distinct_targets_keep_the_first_of_each_database_in_order()
    {
        var targets = Targets(3).Concat(Targets(2)).ToList();

        Assert.Equal(Targets(3).Select(t => t.DisplayName), MigrationUseCases.DistinctTargets(targets).Select(t => t.DisplayName));
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while ((current = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }

    private sealed class Recorder : IFleetObserver<int>
    {
        public ConcurrentBag<int> Started { get; } = [];

        public ConcurrentBag<int> Finished { get; } = [];

        public void TargetStarting(FleetTargetRun run) => Started.Add(run.Index);

        public void TargetFinished(FleetTargetOutcome<int> outcome) => Finished.Add(outcome.Index);
    }
}
