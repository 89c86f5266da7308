using EngineTraced = TradingBot.Migrations.Engine.Safety.Trace.TracedStatement;

namespace TradingBot.Migrations;

/// <summary>One relation lock a traced statement took: the table and its pg_locks mode name (AccessExclusiveLock, ShareLock, ...).</summary>
public sealed class TracedLock
{
    public required string Relation { get; init; }

    public required string Mode { get; init; }

    /// <summary>ShareLock or stronger: the application's INSERT, UPDATE and DELETE (and with AccessExclusiveLock its SELECT) wait.</summary>
    public bool BlocksTraffic { get; init; }

    public override string ToString() => $"{Relation} {Mode}";
}

/// <summary>One statement of a pending migration as Test-MigrationSafety -Trace ran it on a scratch database.</summary>
/// <remarks>Two faces (see <see cref="TypedMembers"/>): pwsh sees Version and Duration typed; ConvertTo-Json, text.</remarks>
public sealed class TracedStatement(MigrationVersion version)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    public string? File { get; init; }

    public int Line { get; init; }

    public required string Statement { get; init; }

    /// <summary>The relation locks the statement took that its transaction did not hold before it, strongest first.</summary>
    public required TracedLock[] Locks { get; init; }

    /// <summary>Every relation lock the transaction holds once the statement is done, earlier statements' included: what the application waits for.</summary>
    public required TracedLock[] HeldLocks { get; init; }

    /// <summary>A table got a new relfilenode: PostgreSQL wrote it anew.</summary>
    public bool RewroteTable => RewrittenTables.Length > 0;

    public required string[] RewrittenTables { get; init; }

    /// <summary>Tables the statement read through (a validating scan, an index build), seen in pg_stat_xact_user_tables; inside a transaction only.</summary>
    public required string[] ScannedTables { get; init; }

    /// <summary>How long it ran on the scratch copy (pwsh sees a TimeSpan).</summary>
    public string Duration => OutputText.Span(TypedDuration)!;

    /// <summary>False for a <c>-- transaction: none</c> migration, whose locks were sampled while each statement ran.</summary>
    public bool InTransaction { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal TimeSpan TypedDuration { get; init; }

    internal static TracedStatement From(EngineTraced traced) => new(new MigrationVersion(traced.Version))
    {
        Name = traced.Name,
        File = traced.File,
        Line = traced.Line,
        Statement = traced.Statement,
        Locks = traced.Locks.Select(Output).ToArray(),
        HeldLocks = traced.HeldLocks.Select(Output).ToArray(),
        RewrittenTables = traced.RewrittenTables.ToArray(),
        ScannedTables = traced.ScannedTables.ToArray(),
        InTransaction = traced.InTransaction,
        TypedDuration = traced.Duration,
    };

    private static TracedLock Output(Engine.Safety.Trace.TracedLock traced) =>
        new() { Relation = traced.Relation, Mode = traced.Mode, BlocksTraffic = traced.BlocksTraffic };
}
