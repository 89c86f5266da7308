using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Safety.Rules;

namespace TradingBot.Migrations.Engine.Safety;

public enum RollbackKind
{
    /// <summary>The down undoes the up without destroying data: it drops no table or column that holds values, deletes only rows the up inserted.</summary>
    Lossless,

    /// <summary>The down drops tables, columns or rows (those the up created too, with every value written since), or narrows a type.</summary>
    Lossy,

    /// <summary>There is no down script (or it does nothing).</summary>
    Irreversible,

    /// <summary>The down is PowerShell that builds some of its SQL when it runs: what it destroys cannot be read ahead.</summary>
    Unknown,
}

/// <summary>How safe it is to run one migration's down, and what would be lost.</summary>
public sealed record RollbackClassification(
    string Version,
    string Name,
    RollbackKind Kind,
    IReadOnlyList<string> Losses,
    IReadOnlyList<SafetyFinding> Findings);

/// <summary>Classifies the downs Undo-Migration would run.</summary>
internal static class RollbackSafety
{
    public static RollbackClassification Classify(SafetyMigration migration) => Classify([migration])[0];

    /// <summary>
    /// Classifies each migration's down. Pass the migrations oldest first (the ones before the rollback
    /// range too, when known, so column types are known); <paramref name="onlyVersions"/> limits the result.
    /// </summary>
    public static IReadOnlyList<RollbackClassification> Classify(IEnumerable<SafetyMigration> migrations, IReadOnlySet<string>? onlyVersions = null)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var result = new List<RollbackClassification>();
        var schema = new SchemaModel();
        foreach (var migration in migrations)
        {
            var up = ScriptContext.Build(migration, MigrationScript.Up, schema);
            if (onlyVersions is null || onlyVersions.Contains(migration.Version))
            {
                result.Add(ClassifyOne(migration, up, schema));
            }

            schema.Apply(up);
        }

        return result;
    }

    private static RollbackClassification ClassifyOne(SafetyMigration migration, ScriptContext up, SchemaModel schema)
    {
        var down = migration.DownSql is null ? null : ScriptContext.Build(migration, MigrationScript.Down, schema, up);
        var unreadable = migration.UnreadableDownCalls.Count > 0;
        if (down is null || (down.Statements.Count == 0 && !unreadable))
        {
            var sink = new FindingSink(up);
            if (down is null)
            {
                SafetyRules.Get("missing-down").Check(up, sink);
            }

            var upLosses = DataLoss.Find(up);
            foreach (var loss in upLosses)
            {
                sink.Report(SafetyRules.Get("irreversible-without-down"), loss.Statement, $"the up destroyed {loss.Lost}; rolling back cannot bring it back");
            }

            if (down is not null && upLosses.Count == 0)
            {
                // An explicit empty down on an additive up: nothing to undo is a valid answer.
                return new RollbackClassification(migration.Version, migration.Name, RollbackKind.Lossless, [], []);
            }

            return new RollbackClassification(migration.Version, migration.Name, RollbackKind.Irreversible,
                upLosses.Select(l => l.Lost).ToList(), Suppress(up, sink));
        }

        var downSink = new FindingSink(down);
        SafetyRules.Get("down-drops-data").Check(down, downSink);
        SafetyRules.Get("down-drops-new-data").Check(down, downSink);
        var losses = DataLoss.Find(down, up).Concat(DataLoss.FindUndone(down, up)).OrderBy(l => l.Statement.Index).ToList();

        if (unreadable)
        {
            SafetyRules.Get("unreadable-down").Check(down, downSink);
        }

        // What is known to be lost is the answer; only a down with no known loss is as bad as what cannot be read.
        var kind = losses.Count > 0 ? RollbackKind.Lossy : unreadable ? RollbackKind.Unknown : RollbackKind.Lossless;
        return new RollbackClassification(migration.Version, migration.Name, kind,
            losses.Select(l => l.Lost).ToList(), Suppress(down, downSink));
    }

    private static List<SafetyFinding> Suppress(ScriptContext context, FindingSink sink)
    {
        var suppressions = Suppressions.Read(context, new FindingSink(context));
        Suppressions.Apply(sink.Findings, sink.StatementIndexes, suppressions);
        return [.. sink.Findings.OrderBy(f => f.Line ?? 0)];
    }
}
