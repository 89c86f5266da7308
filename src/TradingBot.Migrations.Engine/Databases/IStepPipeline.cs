using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// A session that can run several transactional steps at once: PostgreSQL sends them in one round trip instead of one
/// each, SQLite runs them under one commit, each in a savepoint. Each step is still all or nothing with its history
/// change, and the first failure stops the run, skipping the steps after it.
/// </summary>
internal interface IStepPipeline
{
    /// <summary>
    /// Runs the steps in order. Calls <paramref name="committed"/> for each step that committed, in order, before it
    /// returns or throws the first failure (as <see cref="IDatabaseSession.RunInTransaction"/> would for that step).
    /// Returns how many of the steps it ran: the caller runs the rest one at a time (SQLite stops before a step whose
    /// history shows it done by another run, which the one-at-a-time path reports as skipped).
    /// </summary>
    int RunInTransactions(IReadOnlyList<TransactionalStep> steps, Action<int, ServerTiming?> committed, CancellationToken cancellation);
}

/// <summary>One step for <see cref="IStepPipeline"/>: its script and its history change.</summary>
internal sealed record TransactionalStep(StepScript Script, HistoryChange Change);

/// <summary>When the server began a step's transaction and how long it took to reach the history change, by the server's clock.</summary>
internal readonly record struct ServerTiming(DateTime StartedAtUtc, TimeSpan Elapsed);
