using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Repair;

/// <summary>What Repair-Migration does to one history row. It never runs a script.</summary>
public enum RepairAction
{
    /// <summary>A Failed (or Pending) migration whose changes are complete: record it as Applied with the file's checksum.</summary>
    MarkApplied,

    /// <summary>A migration whose changes are gone (undone by hand): delete its history row, so it is Pending again.</summary>
    MarkRolledBack,

    /// <summary>An applied migration edited cosmetically: take the file's checksum into the history row.</summary>
    UpdateChecksum,
}

/// <summary>One history change a repair makes, described before it is made (-WhatIf shows it).</summary>
public sealed record RepairStep(
    string Version,
    string Name,
    RepairAction Action,
    MigrationState PreviousState,
    string? PreviousChecksum,
    string? NewChecksum)
{
    public string Describe() => Action switch
    {
        RepairAction.MarkApplied => $"Mark migration {Version} ({Name}) as Applied (was {PreviousState}); no script is run",
        RepairAction.MarkRolledBack => $"Mark migration {Version} ({Name}) as rolled back (was {PreviousState}): delete its history row; no down script is run",
        _ => $"Update the checksum of migration {Version} ({Name}) from {Short(PreviousChecksum)} to {Short(NewChecksum)}",
    };

    private static string Short(string? checksum) => checksum is null ? "none" : checksum.Length > 12 ? checksum[..12] : checksum;
}

/// <summary>Decides which rows a repair touches, from status alone. Pure: no I/O.</summary>
internal static class MigrationRepairPlanner
{
    public static IReadOnlyList<RepairStep> Plan(IReadOnlyList<MigrationStatusEntry> status, SqlDialect dialect, RepairAction action, MigrationVersion? version)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (version is null)
        {
            if (action != RepairAction.UpdateChecksum)
            {
                throw Refused(MigrationErrors.RepairVersionRequired, $"-Action {action} needs -Version: name the one migration to repair.");
            }

            return status.Where(s => s.State == MigrationState.Modified)
                .Select(s => new RepairStep(s.Version.Text, s.Name, action, s.State, s.Record?.Checksum, s.FileChecksum))
                .ToList();
        }

        var entry = status.FirstOrDefault(s => s.Version == version)
            ?? throw new MigrationException(MigrationErrors.UnknownRepairVersion,
                $"There is no migration {version} in the folder or the history table. Run Get-MigrationStatus to see the versions.") { Version = version.Text };

        if (!AppliesTo(action, entry))
        {
            throw NotApplicable(entry, action, action switch
            {
                RepairAction.MarkApplied => "only a Failed or Pending migration can be marked as applied",
                RepairAction.MarkRolledBack => "it has no history row (it is Pending already)",
                _ => "only a Modified migration has a checksum to realign",
            });
        }

        return action switch
        {
            RepairAction.MarkApplied => [new RepairStep(entry.Version.Text, entry.Name, action, entry.State, entry.Record?.Checksum,
                entry.FileChecksum ?? entry.Record?.Checksum ?? throw NotApplicable(entry, action, "it has no file to take a checksum from"))],
            RepairAction.MarkRolledBack => [new RepairStep(entry.Version.Text, entry.Name, action, entry.State, entry.Record!.Checksum, null)],
            _ => [new RepairStep(entry.Version.Text, entry.Name, action, entry.State, entry.Record?.Checksum, entry.FileChecksum)],
        };
    }

    /// <summary>Whether <paramref name="action"/> can repair this version (tab completion offers only those).</summary>
    public static bool AppliesTo(RepairAction action, MigrationStatusEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return action switch
        {
            RepairAction.MarkApplied => entry.State is MigrationState.Failed or MigrationState.Pending,
            RepairAction.MarkRolledBack => entry.Record is not null,
            _ => entry.State == MigrationState.Modified,
        };
    }

    private static MigrationException NotApplicable(MigrationStatusEntry entry, RepairAction action, string why) =>
        new(MigrationErrors.RepairNotApplicable,
            $"Cannot {action} migration {entry.Version} ({entry.Name}), which is {entry.State}: {why}. Nothing was changed.") { Version = entry.Version.Text };

    private static MigrationException Refused(MigrationError error, string message) => new(error, message);
}
