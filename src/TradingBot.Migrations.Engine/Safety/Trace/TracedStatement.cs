namespace TradingBot.Migrations.Engine.Safety.Trace;

/// <summary>Whether the trace saw what a lock or rewrite finding predicted.</summary>
public enum TraceVerdict
{
    Confirmed,
    Refuted,
}

/// <summary>
/// One relation lock a traced statement took: the relation (schema-qualified outside public) and its pg_locks mode name
/// (AccessShareLock ... AccessExclusiveLock). <see cref="ExistedBefore"/>: the table was there before the migration began
/// (a table the migration creates is locked by no one else). <see cref="ScratchBytes"/>: its size on the scratch database.
/// </summary>
public sealed record TracedLock(string Relation, string Mode, bool ExistedBefore = true, long ScratchBytes = 0)
{
    /// <summary>Read or written by the application: a mode that makes plain reads (AccessExclusiveLock) or row writes (ShareLock and up) wait.</summary>
    public bool BlocksTraffic => LockModes.BlocksWrites(Mode);

    public override string ToString() => $"{Relation} {Mode}";
}

/// <summary>
/// One statement of a pending migration as the trace ran it on the scratch database: the relation locks it took that the
/// transaction did not hold before it, the tables it rewrote (a new relfilenode) or scanned, and how long it ran.
/// </summary>
public sealed record TracedStatement
{
    public required string Version { get; init; }

    public string Name { get; init; } = string.Empty;

    public string? File { get; init; }

    public required int Line { get; init; }

    public required string Statement { get; init; }

    public required IReadOnlyList<TracedLock> Locks { get; init; }

    /// <summary>Every relation lock the transaction holds once the statement is done (earlier statements' too): what the application waits for.</summary>
    public IReadOnlyList<TracedLock> HeldLocks { get; init; } = [];

    /// <summary>The tables the trace watched (the user tables once the statement is done): a prediction about another relation (an index, a domain) is not judged.</summary>
    internal IReadOnlySet<string> WatchedTables { get; init; } = new HashSet<string>();

    public IReadOnlyList<string> RewrittenTables { get; init; } = [];

    public IReadOnlyList<string> ScannedTables { get; init; } = [];

    public bool RewroteTable => RewrittenTables.Count > 0;

    public required TimeSpan Duration { get; init; }

    /// <summary>False for a <c>-- transaction: none</c> migration, traced statement by statement with its locks sampled from a second connection.</summary>
    public bool InTransaction { get; init; } = true;
}

/// <summary>PostgreSQL's table lock modes by strength, with the pg_locks names, and which of them hold up the application.</summary>
public static class LockModes
{
    private static readonly string[] Ordered =
    [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
        "ExclusiveLock", "AccessExclusiveLock",
    ];

    /// <summary>1 (AccessShareLock) to 8 (AccessExclusiveLock); 0 for a name that is not a table lock mode.</summary>
    public static int Strength(string mode) => Array.IndexOf(Ordered, Normalise(mode)) + 1;

    /// <summary>ShareLock and stronger conflict with the RowExclusiveLock every INSERT, UPDATE and DELETE takes.</summary>
    public static bool BlocksWrites(string mode) => Strength(mode) >= Strength("ShareLock");

    /// <summary>Only AccessExclusiveLock conflicts with the AccessShareLock of a plain SELECT.</summary>
    public static bool BlocksReads(string mode) => Strength(mode) == Strength("AccessExclusiveLock");

    /// <summary>The pg_locks name of a mode written as in SQL ("ACCESS EXCLUSIVE") or already as in pg_locks.</summary>
    public static string Normalise(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        if (mode.EndsWith("Lock", StringComparison.Ordinal))
        {
            return mode;
        }

        var words = mode.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant());
        return string.Concat(words) + "Lock";
    }
}
