using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

internal sealed class SqliteDialect : IDatabaseDialect
{
    public static readonly SqliteDialect Instance = new();

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation) =>
        SqliteSession.Open(target, historyTable, readOnly);

    // A file opens at once: there is no connect timeout. The command timeout is how long a write waits for the lock.
    public string WithTimeouts(string connectionString, int? connectTimeoutSeconds, int? commandTimeoutSeconds)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (commandTimeoutSeconds is { } command)
        {
            builder.DefaultTimeout = command;
        }

        return builder.ConnectionString;
    }

    public IReadOnlyList<string> UrlSchemes { get; } = ["sqlite", "sqlite3", "file"];

    public DatabaseTarget FromUrl(string value, string baseDirectory)
    {
        var rest = value[(value.IndexOf(':', StringComparison.Ordinal) + 1)..];
        // sqlite:///abs/path and sqlite://rel/path (as dbmate and others write them) as well as sqlite:path.
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        return SqliteTarget.FromPath(Uri.UnescapeDataString(rest), baseDirectory);
    }

    // A path ending in .db, .sqlite or .sqlite3 (not a URL, and not a keyword string, which has ';').
    public bool TryParse(string value, string baseDirectory, [NotNullWhen(true)] out DatabaseTarget? target)
    {
        var isFile = Path.GetExtension(value).ToLowerInvariant() is ".db" or ".sqlite" or ".sqlite3" &&
            !value.Contains("://", StringComparison.Ordinal) && !value.Contains(';', StringComparison.Ordinal);
        target = isFile ? SqliteTarget.FromPath(value, baseDirectory) : null;
        return target is not null;
    }

    public IScratchDatabase CreateScratch(DatabaseTarget near, CancellationToken cancellation) => SqliteScratchDatabase.Create();

    // A SQLite file copies whole and fast: the trace runs on the target's own data, and the replay applies only what is pending.
    public IScratchDatabase CreateTraceScratch(DatabaseTarget target, DatabaseTarget? server, CancellationToken cancellation) =>
        server is null
            ? SqliteScratchDatabase.CopyOf(target)
            : throw new MigrationException(MigrationErrors.TraceNotSupported,
                $"-TraceServer {server.DisplayName}: an SQLite database has no server; the trace runs on a temporary copy of {target.DisplayName}.")
            {
                RecommendedAction = "Leave -TraceServer out: on SQLite the trace always copies the database file.",
            };

    public ILockTracer OpenLockTracer(DatabaseTarget scratch, CancellationToken cancellation) => SqliteLockTracer.Open(scratch);

    public DatabaseTarget WithCredential(DatabaseTarget target, NetworkCredential credential) =>
        throw new MigrationException(MigrationErrors.CredentialNotSupported,
            $"-Credential is for PostgreSQL, and {target.DisplayName} is an SQLite database, which has no user or password. Leave out -Credential, or name a PostgreSQL database.");
}
