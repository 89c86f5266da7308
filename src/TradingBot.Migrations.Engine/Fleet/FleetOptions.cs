namespace TradingBot.Migrations.Engine.Fleet;

/// <summary>How a fleet run fans out: how many targets at once, and what a failing target does to the others.</summary>
/// <param name="ThrottleLimit">Targets running at once, each on its own connection and lock.</param>
/// <param name="ContinueOnError">Run every target even after one failed (by default the first failure starts no new target).</param>
/// <param name="Canary">The first this many targets run first, as a wave of their own; if any of them fails, no other target starts.</param>
public sealed record FleetOptions(int ThrottleLimit = FleetOptions.DefaultThrottleLimit, bool ContinueOnError = false, int Canary = 0)
{
    public const int DefaultThrottleLimit = 4;
}

/// <summary>What became of one target.</summary>
public enum FleetTargetState
{
    Succeeded,
    Failed,

    /// <summary>Started, and stopped cleanly between migrations (another target failed, or Ctrl+C) before it was done.</summary>
    Stopped,

    /// <summary>Never started: the run stopped before its turn.</summary>
    NotStarted,
}

/// <summary>Why a fleet run stopped starting new targets.</summary>
public enum FleetStopReason
{
    None,
    TargetFailed,
    CanaryFailed,
    Canceled,
}

/// <summary>One target's turn: the target, its place in the list, and how it is told to stop.</summary>
public sealed class FleetTargetRun
{
    private readonly FleetStopSignal stop;

    internal FleetTargetRun(Configuration.DatabaseTarget target, int index, FleetStopSignal stop, CancellationToken cancellation)
    {
        Target = target;
        Index = index;
        this.stop = stop;
        Cancellation = cancellation;
    }

    public Configuration.DatabaseTarget Target { get; }

    public int Index { get; }

    /// <summary>Ctrl+C: cancels the statement in flight, which rolls back the migration it belongs to.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Another target failed: finish the migration in flight, then stop (the migrator checks this between migrations).</summary>
    public bool StopRequested => stop.Reason != FleetStopReason.None;
}

/// <summary>What one target's turn came to: its result, or the error that ended it.</summary>
public sealed record FleetTargetOutcome<T>(Configuration.DatabaseTarget Target, int Index, FleetTargetState State, T? Result, Exception? Error);

/// <summary>Every target's outcome, in the order of the list, and why the run stopped early (if it did).</summary>
public sealed record FleetReport<T>(IReadOnlyList<FleetTargetOutcome<T>> Targets, FleetStopReason StopReason)
{
    public int Count(FleetTargetState state) => Targets.Count(t => t.State == state);

    public bool AllSucceeded => Targets.All(t => t.State == FleetTargetState.Succeeded);
}

/// <summary>Told as targets start and finish; called from the fleet's worker threads, never two calls for one target at once.</summary>
public interface IFleetObserver<T>
{
    void TargetStarting(FleetTargetRun run);

    void TargetFinished(FleetTargetOutcome<T> outcome);
}

/// <summary>The first reason a run stopped starting targets; later ones do not replace it.</summary>
internal sealed class FleetStopSignal
{
    private int reason;

    public FleetStopReason Reason => (FleetStopReason)Volatile.Read(ref reason);

    public void Request(FleetStopReason why) => Interlocked.CompareExchange(ref reason, (int)why, (int)FleetStopReason.None);
}
