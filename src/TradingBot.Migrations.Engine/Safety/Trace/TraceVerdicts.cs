using System.Globalization;
using TradingBot.Migrations.Engine.Databases;

namespace TradingBot.Migrations.Engine.Safety.Trace;

/// <summary>
/// Holds the static findings up against the trace: a finding whose rule claims a lock or a rewrite (<see cref="LockClaim"/>)
/// on its statement's table is Confirmed when the traced statement left that table locked at least as strongly as
/// predicted (and rewritten, for a rewrite claim), else Refuted; a traffic-blocking lock on a table that existed before
/// the migration, which no prediction covers, becomes an <c>unpredicted-lock</c> finding. With the live table's size a
/// finding also estimates how long traffic would wait (<see cref="EstimateWait"/>). A prediction about a relation the trace
/// does not watch (an index, a domain, "the table of index x") is left unjudged.
/// </summary>
internal static class TraceVerdicts
{
    public const string UnpredictedLock = "unpredicted-lock";

    // One page: an empty scratch table still costs a scan or rewrite its fixed work, so sizes scale from at least this.
    private const long PageBytes = 8192;

    public static IReadOnlyList<SafetyFinding> Apply(IReadOnlyList<SafetyFinding> findings, IReadOnlyList<StatementImpact> impacts,
        IReadOnlyList<TracedStatement> traces, Func<string, TableSize?> liveSize)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(impacts);
        ArgumentNullException.ThrowIfNull(traces);
        var traced = traces.GroupBy(t => (t.Version, t.Line)).ToDictionary(g => g.Key, g => g.First());
        var predicted = impacts.ToLookup(i => (i.Version, i.Line));
        var checkedFindings = findings.Select(f => Check(f, traced, predicted, liveSize)).ToList();
        foreach (var trace in traces)
        {
            foreach (var held in trace.Locks.Where(l => l.ExistedBefore && l.BlocksTraffic))
            {
                if (!predicted[(trace.Version, trace.Line)].Any(p => SameTable(p.Table, held.Relation) && LockModes.Strength(p.LockMode) >= LockModes.Strength(held.Mode)))
                {
                    checkedFindings.Add(Unpredicted(trace, held, liveSize));
                }
            }
        }

        return checkedFindings;
    }

    /// <summary>
    /// The statement's duration on the scratch copy, scaled by the live table's size over the scratch table's (at least one
    /// page) when the statement rewrote or scanned the table: the work that grows with the table. A statement that only
    /// changed the catalog waits as long as it ran.
    /// </summary>
    public static TimeSpan EstimateWait(TracedStatement trace, TracedLock held, TableSize? live)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(held);
        var works = trace.RewrittenTables.Concat(trace.ScannedTables).Contains(held.Relation, StringComparer.Ordinal);
        if (!works || live?.Bytes is not { } bytes)
        {
            return trace.Duration;
        }

        var scale = Math.Max(1.0, bytes / (double)Math.Max(held.ScratchBytes, PageBytes));
        return TimeSpan.FromTicks((long)Math.Min(trace.Duration.Ticks * scale, TimeSpan.MaxValue.Ticks / 2.0));
    }

    private static SafetyFinding Check(SafetyFinding finding, Dictionary<(string, int), TracedStatement> traced, ILookup<(string, int), StatementImpact> predicted,
        Func<string, TableSize?> liveSize)
    {
        var claim = finding.Rule == "lock-impact" ? LockClaim.Locks : SafetyRules.Find(finding.Rule)?.Claims ?? LockClaim.None;
        if (claim == LockClaim.None || finding.Script != MigrationScript.Up || finding.Line is not { } line ||
            !traced.TryGetValue((finding.Version, line), out var trace) ||
            predicted[(finding.Version, line)].FirstOrDefault(p => trace.WatchedTables.Any(t => SameTable(p.Table, t))) is not { } prediction)
        {
            return finding;
        }

        var held = trace.HeldLocks.Where(l => SameTable(prediction.Table, l.Relation)).MaxBy(l => LockModes.Strength(l.Mode));
        var mode = LockModes.Normalise(prediction.LockMode);
        var locked = held is not null && LockModes.Strength(held.Mode) >= LockModes.Strength(mode);
        var rewrote = trace.RewrittenTables.Any(t => SameTable(prediction.Table, t));
        var confirmed = locked && (claim != LockClaim.Rewrites || rewrote);
        var saw = held is null ? $"no lock on {prediction.Table}" : $"{held.Mode} on {held.Relation}";
        var work = rewrote ? ", rewrote it" : trace.ScannedTables.Any(t => SameTable(prediction.Table, t)) ? ", scanned it" : claim == LockClaim.Rewrites ? ", no rewrite" : string.Empty;
        var message = $"{finding.Message.TrimEnd('.')}. Trace: {(confirmed ? "confirmed" : "refuted")}, {saw}{work} ({Milliseconds(trace.Duration)} on the scratch copy; predicted {mode}{(claim == LockClaim.Rewrites ? " and a rewrite" : string.Empty)}).";
        TimeSpan? wait = null;
        if (confirmed && held is not null && liveSize(held.Relation) is { } size)
        {
            wait = EstimateWait(trace, held, size);
            message += $" {Waiting(held, size, wait.Value)}";
        }

        return finding with { Trace = confirmed ? TraceVerdict.Confirmed : TraceVerdict.Refuted, EstimatedWait = wait, Message = message };
    }

    private static SafetyFinding Unpredicted(TracedStatement trace, TracedLock held, Func<string, TableSize?> liveSize)
    {
        var blocks = LockModes.BlocksReads(held.Mode) ? "reads and writes" : "writes (INSERT, UPDATE, DELETE)";
        var message = $"took {held.Mode} on {held.Relation}, which the rules did not predict: it blocks {blocks} of {held.Relation} " +
            $"until the {(trace.InTransaction ? "migration's transaction ends" : "statement ends")} ({Milliseconds(trace.Duration)} on the scratch copy).";
        TimeSpan? wait = null;
        if (liveSize(held.Relation) is { } size)
        {
            wait = EstimateWait(trace, held, size);
            message += $" {Waiting(held, size, wait.Value)}";
        }

        return new SafetyFinding
        {
            Rule = UnpredictedLock,
            Severity = SafetySeverity.Warning,
            Version = trace.Version,
            MigrationName = trace.Name,
            Script = MigrationScript.Up,
            File = trace.File,
            Line = trace.Line,
            Statement = trace.Statement,
            Message = message,
            Remedy = $"Check what else the statement touches (a foreign key locks the referenced table, a trigger or a view its tables); run it with a lock_timeout in a quiet window, or split it so {held.Relation} is locked briefly.",
            Trace = TraceVerdict.Confirmed,
            EstimatedWait = wait,
        };
    }

    private static string Waiting(TracedLock held, TableSize size, TimeSpan wait)
    {
        var traffic = LockModes.BlocksReads(held.Mode) ? "reads and writes" : LockModes.BlocksWrites(held.Mode) ? "writes" : "schema changes";
        var bytes = size.Bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:0.#} MB") : "unknown size";
        return $"With {held.Relation} at {bytes} live, its {traffic} would wait about {Readable(wait)}.";
    }

    internal static string Readable(TimeSpan wait) => wait.TotalSeconds switch
    {
        < 1 => Milliseconds(wait),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{wait.TotalSeconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{wait.TotalMinutes:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{wait.TotalHours:0.#} h"),
    };

    private static string Milliseconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.#} ms");

    // The rules name a table as written (public.trades, "Trades"); the trace as PostgreSQL does, public tables bare.
    internal static bool SameTable(string written, string traced) => string.Equals(Bare(written), traced, StringComparison.Ordinal);

    private static string Bare(string name)
    {
        var unquoted = name.Contains('"', StringComparison.Ordinal) ? name.Replace("\"", string.Empty, StringComparison.Ordinal) : name.ToLowerInvariant();
        return unquoted.StartsWith("public.", StringComparison.Ordinal) ? unquoted["public.".Length..] : unquoted;
    }
}
