namespace TradingBot.Migrations.Engine.History;

public enum HistoryState
{
    Applied,
    Failed,
}

/// <summary>One row of the history table.</summary>
public sealed record HistoryRecord(
    string Version,
    string Name,
    string Checksum,
    DateTime AppliedAtUtc,
    string AppliedBy,
    long ExecutionMilliseconds,
    HistoryState State,
    string? FailedStatement,
    int Attempts = 1);

/// <summary>What a migration step writes to the history in the same transaction as its script.</summary>
internal abstract record HistoryChange(string Version)
{
    /// <summary>The same change with the script's measured execution time in its history row.</summary>
    public HistoryChange WithElapsed(TimeSpan elapsed) =>
        this is Insert insert ? new Insert(insert.Record with { ExecutionMilliseconds = (long)elapsed.TotalMilliseconds }) : this;

    /// <summary>The same change with the moment its step began in its history row.</summary>
    public HistoryChange StartedAt(DateTime startedAtUtc) =>
        this is Insert insert ? new Insert(insert.Record with { AppliedAtUtc = startedAtUtc }) : this;

    /// <summary>The same change recording how many times the step ran (more than one after lock-timeout retries).</summary>
    public HistoryChange WithAttempts(int attempts) =>
        this is Insert insert ? new Insert(insert.Record with { Attempts = attempts }) : this;

    public sealed record Insert(HistoryRecord Record) : HistoryChange(Record.Version);

    public sealed record Delete(string VersionToDelete) : HistoryChange(VersionToDelete);
}

/// <summary>
/// A repair of one history row, written together with its audit row (who repaired what, when, from
/// which state) in one transaction. <see cref="NewChecksum"/> is null for a rollback (row deleted).
/// </summary>
internal sealed record HistoryRepair(string Version, string Name, string Action, string PreviousState, string? PreviousChecksum, string? NewChecksum, string RepairedBy);
