using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Schema;

public enum RoundTripOutcome
{
    /// <summary>The down gave back the schema from before the up, and the up ran again to the same schema.</summary>
    Lossless,

    /// <summary>The down left a different schema than before the up, or the second up a different one than the first.</summary>
    Differs,

    /// <summary>The migration has no down for this database: only its up ran.</summary>
    NoDown,

    /// <summary>The down failed, or the second up did (most often on what the down left behind); the check stops there.</summary>
    Failed,
}

/// <summary>
/// One migration's up → down → up on a scratch database: the differences of the schema after its down from the schema
/// before its up, then of the schema after the second up from the one after the first.
/// </summary>
public sealed record RoundTripResult(
    MigrationVersion Version, string Name, string? Path, RoundTripOutcome Outcome, IReadOnlyList<SchemaDifference> DownDifferences,
    IReadOnlyList<SchemaDifference> ReupDifferences)
{
    /// <summary>Which script failed and why, when one did.</summary>
    public string? Failure { get; init; }

    public string Reason => Outcome switch
    {
        RoundTripOutcome.Failed => string.Join("; ", DownDifferences.Select(d => $"after the down, {Describe(d)}").Append(Failure ?? "failed")),
        RoundTripOutcome.Lossless => "up, down and up again give back the same schema",
        RoundTripOutcome.NoDown => "no down script: only the up ran",
        _ => string.Join("; ",
            DownDifferences.Select(d => $"after the down, {Describe(d)}").Concat(ReupDifferences.Select(d => $"after the second up, {Describe(d)}"))),
    };

    private static string Describe(SchemaDifference d) => d.Change switch
    {
        SchemaChange.Missing => $"{SchemaText.KindName(d.Kind)} {d.Name} is missing",
        SchemaChange.Extra => $"{SchemaText.KindName(d.Kind)} {d.Name} is left over",
        _ => $"{SchemaText.KindName(d.Kind)} {d.Name} has {d.Property} '{d.DifferenceValue}' instead of '{d.ReferenceValue}'",
    };
}

/// <summary>
/// Applies every migration in order on one scratch database, and runs each one's down and up again before the next,
/// comparing canonical schemas; a lossless down must round-trip exactly. The scratch database is dropped as a replay's is.
/// </summary>
internal static class RoundTripCheck
{
    public static IReadOnlyList<RoundTripResult> Run(EngineSettings settings, Action<RoundTripResult>? checkedOne, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var scratch = DatabaseDialects.For(settings.Target.Dialect).CreateScratch(settings.Target, cancellation);
        var results = new List<RoundTripResult>();
        using (var engine = MigrationEngine.Open(settings with { Target = scratch.Target, ReadOnly = false }, cancellation))
        {
            var dialect = engine.Session.Dialect;
            foreach (var migration in engine.Catalog.Migrations)
            {
                var before = Read(engine, settings, cancellation);
                Up(engine, migration.Version, cancellation);
                var after = Read(engine, settings, cancellation);
                RoundTripResult result;
                if (!migration.HasDown(dialect))
                {
                    result = new RoundTripResult(migration.Version, migration.Name, migration.UpFor(dialect)?.Path, RoundTripOutcome.NoDown, [], []);
                }
                else
                {
                    IReadOnlyList<SchemaDifference> down = [];
                    var failing = "the down failed: ";
                    try
                    {
                        engine.Rollback(new DownOptions(Count: 1), NullMigrationObserver.Instance, null, cancellation);
                        down = SchemaComparer.Compare(before, Read(engine, settings, cancellation));
                        failing = "then the up failed again: ";
                        Up(engine, migration.Version, cancellation);
                    }
                    catch (MigrationException e) when (e.Error == MigrationErrors.MigrationFailed)
                    {
                        result = new RoundTripResult(migration.Version, migration.Name, migration.DownFor(dialect)?.Path, RoundTripOutcome.Failed, down, [])
                        {
                            Failure = failing + e.Message,
                        };
                        results.Add(result);
                        checkedOne?.Invoke(result);
                        break;
                    }

                    var reup = SchemaComparer.Compare(after, Read(engine, settings, cancellation));
                    result = new RoundTripResult(migration.Version, migration.Name, migration.DownFor(dialect)?.Path,
                        down.Count == 0 && reup.Count == 0 ? RoundTripOutcome.Lossless : RoundTripOutcome.Differs, down, reup);
                }

                results.Add(result);
                checkedOne?.Invoke(result);
            }
        }

        scratch.Drop();
        return results;
    }

    private static void Up(MigrationEngine engine, MigrationVersion version, CancellationToken cancellation) =>
        engine.Migrate(new UpOptions(version, AllowModified: true, AllowOutOfOrder: true), NullMigrationObserver.Instance, null, cancellation);

    private static SchemaSnapshot Read(MigrationEngine engine, EngineSettings settings, CancellationToken cancellation) =>
        engine.Session.SchemaReader.Read(settings.HistoryTable, cancellation);
}
