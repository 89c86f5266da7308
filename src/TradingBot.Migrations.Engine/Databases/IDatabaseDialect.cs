using System.Diagnostics.CodeAnalysis;
using System.Net;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// Everything the engine asks of one kind of database, found through <see cref="DatabaseDialects"/>: opening a session
/// (whose history, step executor, run lock and schema inspector speak its SQL), how -Database and -Credential name it,
/// and its connection settings. A third
/// database is one folder under Databases/ with a class like this, and one line in the registry.
/// </summary>
internal interface IDatabaseDialect
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a session on the target; read-only sessions never create a file or a table.</summary>
    IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation);

    /// <summary>The connection string with an environment's connect and command timeouts in the driver's own keywords.</summary>
    string WithTimeouts(string connectionString, int? connectTimeoutSeconds, int? commandTimeoutSeconds);

    /// <summary>The URL schemes (before the colon, lower case) that name this database in -Database.</summary>
    IReadOnlyList<string> UrlSchemes { get; }

    /// <summary>The target a -Database value with one of <see cref="UrlSchemes"/> names.</summary>
    DatabaseTarget FromUrl(string value, string baseDirectory);

    /// <summary>Whether a -Database value without a known scheme is this database's (a keyword string, a file name), and its target.</summary>
    bool TryParse(string value, string baseDirectory, [NotNullWhen(true)] out DatabaseTarget? target);

    /// <summary>A new empty database of this kind to replay migrations in: beside <paramref name="near"/> (on its server), or a temp file.</summary>
    IScratchDatabase CreateScratch(DatabaseTarget near, CancellationToken cancellation);

    /// <summary>
    /// The scratch database a lock trace runs in: by default a new empty one beside <paramref name="target"/> (or on <paramref name="server"/>), into which the
    /// trace replays the applied migrations; a database that can be copied whole gives a copy of the target, data included.
    /// </summary>
    IScratchDatabase CreateTraceScratch(DatabaseTarget target, DatabaseTarget? server, CancellationToken cancellation) =>
        CreateScratch(server ?? target, cancellation);

    /// <summary>A lock tracer on a scratch database of this kind (never a target): where the database cannot say what a statement locks, refused.</summary>
    ILockTracer OpenLockTracer(DatabaseTarget scratch, CancellationToken cancellation) =>
        throw new MigrationException(MigrationErrors.TraceNotSupported,
            $"Test-MigrationSafety -Trace cannot trace {Dialect} migrations.")
        {
            RecommendedAction = "Run -Trace against a PostgreSQL or SQLite database, or leave -Trace out: the static rules still apply.",
        };

    /// <summary>The target with -Credential's user and password, or refused where the database cannot take them.</summary>
    DatabaseTarget WithCredential(DatabaseTarget target, NetworkCredential credential);

    /// <summary>
    /// Closes the idle connections kept for the target and forgets what the process keeps for it (a fleet's target is
    /// done: hundreds must neither stay open nor stay in memory).
    /// </summary>
    void ReleaseConnections(DatabaseTarget target)
    {
    }
}
