using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Status;

/// <summary>Files × history → one entry per version. Pure: no I/O.</summary>
internal static class MigrationStatusCalculator
{
    public static IReadOnlyList<MigrationStatusEntry> Compute(MigrationCatalog catalog, IReadOnlyList<HistoryRecord> history, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(history);
        var applied = new Dictionary<MigrationVersion, HistoryRecord>();
        foreach (var record in history)
        {
            if (!MigrationVersion.TryParse(record.Version, out var version, out var problem))
            {
                throw new MigrationException(MigrationErrors.HistoryVersionInvalid,
                    $"The history table has a row with version '{record.Version}': {problem}. Fix or delete that row.");
            }

            applied[version] = record;
        }

        var newestApplied = applied.Keys.Where(v => applied[v].State == HistoryState.Applied).DefaultIfEmpty().Max();
        var entries = new List<MigrationStatusEntry>(catalog.Migrations.Count + applied.Count);
        foreach (var migration in catalog.Migrations)
        {
            var checksum = migration.ChecksumFor(dialect);
            if (applied.Remove(migration.Version, out var record))
            {
                var state = record.State == HistoryState.Failed ? MigrationState.Failed
                    : string.Equals(record.Checksum, checksum, StringComparison.OrdinalIgnoreCase) ? MigrationState.Applied
                    : MigrationState.Modified;
                entries.Add(new MigrationStatusEntry(migration.Version, migration.Name, state, migration, record, checksum, false));
            }
            else
            {
                var outOfOrder = newestApplied is not null && migration.Version < newestApplied;
                entries.Add(new MigrationStatusEntry(migration.Version, migration.Name, MigrationState.Pending, migration, null, checksum, outOfOrder));
            }
        }

        foreach (var (version, record) in applied)
        {
            var state = record.State == HistoryState.Failed ? MigrationState.Failed : MigrationState.Missing;
            entries.Add(new MigrationStatusEntry(version, record.Name, state, null, record, null, false));
        }

        entries.Sort((a, b) => a.Version.CompareTo(b.Version));
        return entries;
    }
}
