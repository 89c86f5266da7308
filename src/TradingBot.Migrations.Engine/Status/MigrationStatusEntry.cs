using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Status;

public enum MigrationState
{
    /// <summary>Applied, and the file still has the checksum it had then.</summary>
    Applied,

    /// <summary>In the folder, not yet applied.</summary>
    Pending,

    /// <summary>Applied, but the up script has changed since.</summary>
    Modified,

    /// <summary>Applied, but its files are gone from the folder.</summary>
    Missing,

    /// <summary>A non-transactional migration that stopped half-way: needs a repair.</summary>
    Failed,

    /// <summary>
    /// A non-transactional migration whose run is still alive (it holds the run lock): its row says Failed at the
    /// statement in flight until it finishes. Only Get-MigrationStatus reports it; runs wait for the lock instead.
    /// </summary>
    Running,
}

/// <summary>One version as files and history see it together.</summary>
public sealed record MigrationStatusEntry(
    MigrationVersion Version,
    string Name,
    MigrationState State,
    Migration? Migration,
    HistoryRecord? Record,
    string? FileChecksum,
    bool IsOutOfOrder)
{
    public bool IsApplied => Record is not null;
}
