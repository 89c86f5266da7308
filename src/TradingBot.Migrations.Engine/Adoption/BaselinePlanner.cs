using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// Set-MigrationBaseline: labels each migration file from the schema export (ReplayEvidence: the migrations replayed into a scratch
/// database, compared with the live schema), or, when no scratch database can be had, from what its up script's statements create
/// (ScriptEffects); and records the ones up to the version as applied, with an audit row each, running none.
/// </summary>
internal static class BaselinePlanner
{
    public static BaselinePlan Plan(MigrationEngine engine, EngineSettings settings, MigrationVersion version, CancellationToken cancellation)
    {
        var status = engine.GetStatus(cancellation);
        if (!status.Any(s => s.Version == version && s.Migration is not null))
        {
            throw new MigrationException(MigrationErrors.UnknownBaselineVersion,
                $"There is no migration {version} in {engine.Catalog.Folder}: a baseline names the version of a migration file. Run Get-MigrationStatus to see the versions.")
            {
                Version = version.Text,
            };
        }

        if (status.FirstOrDefault(s => s.Version <= version && s.State is MigrationState.Failed or MigrationState.Modified) is { } blocked)
        {
            throw new MigrationException(MigrationErrors.BaselineNotApplicable,
                $"Migration {blocked.Version} ({blocked.Name}) is {blocked.State}; a baseline records only migrations that are Pending. Nothing was recorded.")
            {
                Version = blocked.Version.Text,
            };
        }

        var migrations = status.Where(s => s.Migration is not null).ToList();
        var history = engine.Session.History.Table;
        try
        {
            var live = engine.Session.SchemaReader.Read(settings.HistoryTable, cancellation);
            var statements = new Lazy<List<BaselineEntry>>(() => FromStatements(engine, migrations, version, cancellation).Entries);
            var (entries, extras) = ReplayEvidence.Label(settings, live, migrations, version, entry => statements.Value.Single(e => e.Version == entry.Version), cancellation);
            return new BaselinePlan(version, history, entries, extras);
        }
        catch (MigrationException e) when (e.Error == MigrationErrors.ScratchDatabaseFailed || e.Error == MigrationErrors.MigrationFailed)
        {
            var (entries, extras) = FromStatements(engine, migrations, version, cancellation);
            return new BaselinePlan(version, history, entries, extras)
            {
                EvidenceWarning = $"The migrations up to {version} could not be replayed into a scratch database to compare its schema with the live one ({e.Message}); " +
                    "the evidence is what each up script's statements create instead: tables, columns and named indexes, not views, functions, constraints or column types.",
            };
        }
    }

    // The evidence without a scratch database: the tables, columns and named indexes each up script's statements create.
    private static (List<BaselineEntry> Entries, List<string> Extras) FromStatements(MigrationEngine engine, List<MigrationStatusEntry> migrations, MigrationVersion version,
        CancellationToken cancellation)
    {
        var dialect = engine.Session.Dialect;
        var effects = migrations.ToDictionary(s => s.Version, s => s.Migration!.Kind == MigrationKind.Sql && s.Migration.UpFor(dialect) is { } up
            ? ScriptEffects.Of(up.Text, dialect) : []);

        // The schema the migrations up to the version leave: each object alive at the end, with the migration that created it.
        var alive = new Dictionary<string, (ScriptObject Object, MigrationVersion CreatedBy)>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in migrations.Where(s => s.Version <= version))
        {
            foreach (var change in effects[entry.Version])
            {
                Apply(alive, change, entry.Version);
            }
        }

        var live = LiveObjects(engine.Session.Schema, cancellation);
        var entries = migrations.Select(entry => Label(entry, effects[entry.Version], version, alive, live)).ToList();
        return (entries, Extras(live, alive, engine.Session.History.Table));
    }

    /// <summary>Records every entry to record as applied, with its audit row, in one transaction. Runs no script.</summary>
    public static void Record(IDatabaseSession session, BaselinePlan plan, string recordedBy, DateTime nowUtc, CancellationToken cancellation) =>
        session.WriteHistory(transaction =>
        {
            session.History.EnsureWithAuditLog(transaction, cancellation);
            foreach (var entry in plan.ToRecord)
            {
                session.History.Adopt(new HistoryRecord(entry.Version.Text, entry.Name, entry.Checksum!, nowUtc, $"baseline ({recordedBy})", 0, HistoryState.Applied, null),
                    $"Baseline to {plan.Version}", recordedBy, transaction, cancellation);
            }
        }, cancellation);

    private static void Apply(Dictionary<string, (ScriptObject Object, MigrationVersion CreatedBy)> alive, ScriptEffect change, MigrationVersion by)
    {
        var target = change.Object;
        if (!change.Creates)
        {
            alive.Remove(target.Key);
            if (target.Kind == ScriptObjectKind.Table)
            {
                foreach (var key in alive.Where(p => p.Value.Object.Kind != ScriptObjectKind.Table && string.Equals(p.Value.Object.Table, target.Table, StringComparison.OrdinalIgnoreCase)).Select(p => p.Key).ToList())
                {
                    alive.Remove(key);
                }
            }

            return;
        }

        if (change.RenamedFrom is { } from)
        {
            foreach (var (key, (column, creator)) in alive.Where(p => p.Value.Object.Kind == ScriptObjectKind.Column && string.Equals(p.Value.Object.Table, from, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                alive.Remove(key);
                var moved = column with { Table = target.Table };
                alive[moved.Key] = (moved, creator);
            }
        }

        alive.TryAdd(target.Key, (target, by));
    }

    private static BaselineEntry Label(MigrationStatusEntry entry, IReadOnlyList<ScriptEffect> changes, MigrationVersion version,
        Dictionary<string, (ScriptObject Object, MigrationVersion CreatedBy)> alive, Dictionary<string, ScriptObject> live)
    {
        var applied = entry.State == MigrationState.Applied;
        var record = entry.Version <= version && !applied;
        BaselineEntry Entry(BaselineLabel label, string evidence) => new(entry.Version, entry.Name, label, evidence, entry.FileChecksum, applied) { ToRecord = record };
        if (entry.Version <= version)
        {
            // What it created and no later migration up to the version took away must be there.
            var expected = alive.Values.Where(a => a.CreatedBy == entry.Version).Select(a => a.Object).ToList();
            var missing = expected.Where(o => !live.ContainsKey(o.Key)).ToList();
            return missing.Count > 0 ? Entry(BaselineLabel.Conflict, $"missing from the database: {string.Join(", ", missing)}")
                : expected.Count > 0 ? Entry(BaselineLabel.Baseline, $"in the database: {string.Join(", ", expected)}{(applied ? " (already applied)" : string.Empty)}")
                : Entry(BaselineLabel.Baseline, $"creates nothing the schema can show (no table, column or named index){(applied ? "; already applied" : string.Empty)}");
        }

        if (applied)
        {
            return Entry(BaselineLabel.Apply, "above the baseline, and applied already");
        }

        var created = changes.Where(c => c.Creates && !c.IfNotExists && c.RenamedFrom is null).Select(c => c.Object).DistinctBy(o => o.Key).ToList();
        var present = created.Where(o => live.ContainsKey(o.Key)).ToList();
        return present.Count > 0 ? Entry(BaselineLabel.Conflict, $"above the baseline, but already in the database: {string.Join(", ", present)}; applying it would fail")
            : Entry(BaselineLabel.Apply, created.Count > 0 ? $"not in the database yet: {string.Join(", ", created)}" : "above the baseline: Invoke-Migration applies it");
    }

    private static Dictionary<string, ScriptObject> LiveObjects(ISchemaInspector schema, CancellationToken cancellation)
    {
        var live = new Dictionary<string, ScriptObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var (table, column) in schema.TableColumns(cancellation))
        {
            Add(new ScriptObject(ScriptObjectKind.Table, table));
            Add(new ScriptObject(ScriptObjectKind.Column, table, column));
        }

        foreach (var index in schema.IndexNames(cancellation))
        {
            Add(new ScriptObject(ScriptObjectKind.Index, string.Empty, index));
        }

        return live;

        void Add(ScriptObject found) => live.TryAdd(found.Key, found);
    }

    // Tables, and columns of the migrations' tables, that no migration up to the version accounts for (indexes are left out:
    // keys and unique constraints make their own). This module's history and audit tables are not extra.
    private static List<string> Extras(Dictionary<string, ScriptObject> live, Dictionary<string, (ScriptObject Object, MigrationVersion CreatedBy)> alive, HistoryTableName history)
    {
        var own = new HashSet<string>([history.Table, history.RepairLog.Table], StringComparer.OrdinalIgnoreCase);
        var known = alive.Values.Where(a => a.Object.Kind == ScriptObjectKind.Table).Select(a => a.Object.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return live.Values
            .Where(o => o.Kind == ScriptObjectKind.Table ? !own.Contains(o.Table) : o.Kind == ScriptObjectKind.Column && known.Contains(o.Table))
            .Where(o => !alive.ContainsKey(o.Key))
            .OrderBy(o => o.Kind).ThenBy(o => o.ToString(), StringComparer.Ordinal)
            .Select(o => o.ToString())
            .ToList();
    }
}
