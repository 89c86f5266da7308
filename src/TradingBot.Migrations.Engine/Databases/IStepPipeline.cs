using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// A session that can send several transactional steps to the server at once. Each step still runs in its own
/// transaction with its history change, and the server stops at the first failure, skipping the steps after it; what
/// changes is the round trips: one for all of them instead of one each.
/// </summary>
internal interface IStepPipeline
{
    /// <summary>
    /// Runs the steps in order. Calls <paramref name="committed"/> for each step that committed, in order, before it
    /// returns or throws the first failure (as <see cref="IDatabaseSession.RunInTransaction"/> would for that step).
    /// </summary>
    void RunInTransactions(IReadOnlyList<TransactionalStep> steps, Action<int, ServerTiming?> committed, CancellationToken cancellation);
}

/// <summary>One step for <see cref="IStepPipeline"/>: its script and its history change.</summary>
internal sealed record TransactionalStep(StepScript Script, HistoryChange Change);

/// <summary>When the server began a step's transaction and how long it took to reach the history change, by the server's clock.</summary>
internal readonly record struct ServerTiming(DateTime StartedAtUtc, TimeSpan Elapsed);
