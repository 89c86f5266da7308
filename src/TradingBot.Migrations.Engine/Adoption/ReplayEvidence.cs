using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Status;
using TradingBot.Migrations.Engine.Schema;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// A baseline's evidence from the schema export: every migration replayed one at a time into a scratch database, each object
/// attributed to the migration that created it (and each changed property to the one that last changed it), and the schema at
/// the version compared with the live one. Missing or different objects make their migration a Conflict; objects only in the
/// live schema are extras. Views, functions and constraints count as tables, columns and indexes do.
/// </summary>
internal static class ReplayEvidence
{
    private sealed record Replay(SchemaSnapshot AtVersion, Dictionary<MigrationVersion, IReadOnlyList<SchemaDifference>> Steps);

    /// <summary>
    /// The entries and extras; <paramref name="statementLabel"/> labels a file above the version whose replay failed (a failure
    /// at or below the version throws: the caller falls back to statement evidence for all).
    /// </summary>
    public static (List<BaselineEntry> Entries, List<string> Extras) Label(EngineSettings settings, SchemaSnapshot live, IReadOnlyList<MigrationStatusEntry> migrations,
        MigrationVersion version, Func<MigrationStatusEntry, BaselineEntry> statementLabel, CancellationToken cancellation)
    {
        var replay = Run(settings, migrations.Select(m => m.Version).ToList(), version, cancellation);
        var creators = new Dictionary<(SchemaObjectKind, string), MigrationVersion>();
        var changers = new Dictionary<(SchemaObjectKind, string, string), MigrationVersion>();
        foreach (var (step, differences) in replay.Steps.Where(s => s.Key <= version).OrderBy(s => s.Key))
        {
            foreach (var difference in differences.Where(Counts))
            {
                var key = (difference.Kind, difference.Name);
                switch (difference.Change)
                {
                    case SchemaChange.Extra:
                        creators[key] = step;
                        break;
                    case SchemaChange.Missing:
                        creators.Remove(key);
                        foreach (var changed in changers.Keys.Where(c => (c.Item1, c.Item2) == key).ToList())
                        {
                            changers.Remove(changed);
                        }

                        break;
                    default:
                        changers[(difference.Kind, difference.Name, difference.Property!)] = step;
                        break;
                }
            }
        }

        var findings = new Dictionary<MigrationVersion, (List<string> Missing, List<string> Changed)>();
        var extras = new List<string>();
        var comparison = SchemaComparer.Compare(replay.AtVersion, live).Where(Counts).ToList();
        var extraTables = comparison.Where(d => d.Change == SchemaChange.Extra && d.Kind == SchemaObjectKind.Table).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var difference in comparison)
        {
            var key = (difference.Kind, difference.Name);
            if (difference.Change == SchemaChange.Extra)
            {
                // An extra table's columns, constraints and indexes go without saying.
                if (difference.Table is null || !extraTables.Contains(difference.Table))
                {
                    extras.Add(Describe(difference));
                }

                continue;
            }

            var owner = difference.Change == SchemaChange.Changed && changers.TryGetValue((difference.Kind, difference.Name, difference.Property!), out var changer) ? changer
                : creators.GetValueOrDefault(key, version);
            var (missing, changed) = findings.TryGetValue(owner, out var found) ? found : findings[owner] = ([], []);
            (difference.Change == SchemaChange.Missing ? missing : changed).Add(difference.Change == SchemaChange.Missing ? Describe(difference)
                : $"{Describe(difference)} {difference.Property} differs: the migrations make '{Text(difference.ReferenceValue)}', the database has '{Text(difference.DifferenceValue)}'");
        }

        var liveKeys = live.Objects.Select(o => (o.Kind, o.Name)).ToHashSet();
        var entries = migrations.Select(entry =>
        {
            var applied = entry.State == MigrationState.Applied;
            BaselineEntry Entry(BaselineLabel label, string evidence) =>
                new(entry.Version, entry.Name, label, evidence, entry.FileChecksum, applied) { ToRecord = entry.Version <= version && !applied };
            if (entry.Version <= version)
            {
                if (findings.TryGetValue(entry.Version, out var found))
                {
                    var missing = found.Missing.Count > 0 ? [$"missing from the database: {string.Join(", ", found.Missing)}"] : Array.Empty<string>();
                    return Entry(BaselineLabel.Conflict, string.Join("; ", missing.Concat(found.Changed)));
                }

                var made = replay.AtVersion.Objects.Where(o => creators.GetValueOrDefault((o.Kind, o.Name)) == entry.Version).Select(Describe)
                    .Concat(changers.Where(c => c.Value == entry.Version && creators.GetValueOrDefault((c.Key.Item1, c.Key.Item2)) != entry.Version)
                        .Select(c => $"{SchemaText.KindName(c.Key.Item1)} {c.Key.Item2} ({c.Key.Item3})"))
                    .ToList();
                var already = applied ? " (already applied)" : string.Empty;
                return Entry(BaselineLabel.Baseline, made.Count > 0 ? $"in the database: {string.Join(", ", made)}{already}" : $"changes nothing the schema export shows{already}");
            }

            if (applied)
            {
                return Entry(BaselineLabel.Apply, "above the baseline, and applied already");
            }

            if (!replay.Steps.TryGetValue(entry.Version, out var step))
            {
                return statementLabel(entry);
            }

            var created = step.Where(d => d.Change == SchemaChange.Extra).ToList();
            var present = step.Where(d => d.Change == SchemaChange.Extra && liveKeys.Contains((d.Kind, d.Name))).Select(Describe).ToList();
            return present.Count > 0 ? Entry(BaselineLabel.Conflict, $"above the baseline, but already in the database: {string.Join(", ", present)}; applying it would fail")
                : Entry(BaselineLabel.Apply, created.Count > 0 ? $"not in the database yet: {string.Join(", ", created.Select(Describe))}" : "above the baseline: Invoke-Migration applies it");
        }).ToList();
        return (entries, extras);
    }

    // A column's place in its table is not a contradiction (columns added in another order are the same schema to a query).
    private static bool Counts(SchemaDifference difference) => difference.Severity != Safety.SafetySeverity.Info;

    private static string Describe(SchemaDifference difference) => $"{SchemaText.KindName(difference.Kind)} {difference.Name}";

    private static string Describe(SchemaObject item) => $"{SchemaText.KindName(item.Kind)} {item.Name}";

    private static string Text(string? value) => value is null ? "(none)" : SchemaText.Normalize(value).Replace('\n', ' ');

    // Every migration up in turn on one scratch database, reading the schema after each. A migration above the version that fails
    // ends the replay there (the files from it on are labelled by their statements); one at or below it fails the replay.
    private static Replay Run(EngineSettings settings, List<MigrationVersion> versions, MigrationVersion version, CancellationToken cancellation)
    {
        using var scratch = DatabaseDialects.For(settings.Target.Dialect).CreateScratch(settings.Target, cancellation);
        var steps = new Dictionary<MigrationVersion, IReadOnlyList<SchemaDifference>>();
        SchemaSnapshot? atVersion = null;
        using (var engine = MigrationEngine.Open(settings with { Target = scratch.Target, ReadOnly = false }, cancellation))
        {
            var before = engine.Session.SchemaReader.Read(settings.HistoryTable, cancellation);
            foreach (var step in versions.Order())
            {
                try
                {
                    engine.Migrate(new UpOptions(step, AllowModified: true, AllowOutOfOrder: true), NullMigrationObserver.Instance, null, cancellation);
                }
                catch (MigrationException e) when (step > version && e.Error == MigrationErrors.MigrationFailed)
                {
                    break;
                }

                var after = engine.Session.SchemaReader.Read(settings.HistoryTable, cancellation);
                steps[step] = SchemaComparer.Compare(before, after);
                atVersion = step == version ? after : atVersion;
                before = after;
            }
        }

        scratch.Drop();
        return new Replay(atVersion!, steps);
    }
}
