using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>What the live schema says of one migration file, against a baseline.</summary>
public enum BaselineLabel
{
    /// <summary>At or below the baseline version, and what it creates is in the database: it can be recorded as applied.</summary>
    Baseline,

    /// <summary>Above the baseline version, and what it creates is not in the database yet: Invoke-Migration applies it next.</summary>
    Apply,

    /// <summary>The live schema contradicts the baseline: something it creates is missing or different (at or below), or already there (above).</summary>
    Conflict,
}

/// <summary>One migration file, labelled from the objects it creates or changes compared with the live schema.</summary>
public sealed record BaselineEntry(MigrationVersion Version, string Name, BaselineLabel Label, string Evidence, string? Checksum, bool AlreadyApplied)
{
    /// <summary>Whether the baseline records it (at or below the version, not applied yet).</summary>
    public bool ToRecord { get; init; }
}

/// <summary>
/// A baseline, decided before anything changes (-WhatIf shows it all): every file labelled, the ones to record as applied, and
/// objects of the database that no migration up to the version creates (reported, not a conflict).
/// </summary>
public sealed record BaselinePlan(MigrationVersion Version, HistoryTableName HistoryTable, IReadOnlyList<BaselineEntry> Entries, IReadOnlyList<string> ExtraObjects)
{
    public IEnumerable<BaselineEntry> Conflicts => Entries.Where(e => e.Label == BaselineLabel.Conflict);

    public IEnumerable<BaselineEntry> ToRecord => Entries.Where(e => e.ToRecord);

    /// <summary>Why the evidence is each up script's statements rather than the schema export (no scratch database), or null.</summary>
    public string? EvidenceWarning { get; init; }

    /// <summary>Every line a -WhatIf shows: each file's label and evidence, then each history row it would record.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var entry in Entries)
        {
            yield return $"{entry.Label}: migration {entry.Version} ({entry.Name}): {entry.Evidence}";
        }

        if (ExtraObjects.Count > 0)
        {
            yield return $"Also in the database, created by no migration up to {Version} (not a conflict): {string.Join(", ", ExtraObjects)}";
        }

        foreach (var entry in ToRecord)
        {
            yield return $"Record migration {entry.Version} ({entry.Name}) in {HistoryTable} as Applied by a baseline to {Version}, checksum {entry.Checksum?[..12]}; no script is run";
        }
    }
}
