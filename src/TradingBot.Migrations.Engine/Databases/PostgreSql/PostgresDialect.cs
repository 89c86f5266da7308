using System.Diagnostics.CodeAnalysis;
using System.Net;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

internal sealed class PostgresDialect : IDatabaseDialect
{
    public static readonly PostgresDialect Instance = new();

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    // A PostgreSQL session only reads until the run takes its lock, so read-only needs no mode of its own.
    public IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation) =>
        PostgresSession.Open(target, historyTable, userTypesNeeded, cancellation);

    public void ReleaseConnections(DatabaseTarget target) => PostgresDataSources.Release(target.ConnectionString);

    public string WithTimeouts(string connectionString, int? connectTimeoutSeconds, int? commandTimeoutSeconds)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (connectTimeoutSeconds is { } connect)
        {
            builder.Timeout = connect;
        }

        if (commandTimeoutSeconds is { } command)
        {
            builder.CommandTimeout = command;
        }

        return builder.ConnectionString;
    }

    public IReadOnlyList<string> UrlSchemes { get; } = ["postgres", "postgresql"];

    public DatabaseTarget FromUrl(string value, string baseDirectory) => PostgresConnectionString.FromUrl(value);

    // An Npgsql keyword string: Key=value pairs (Host=...;Database=...), not a URL.
    public bool TryParse(string value, string baseDirectory, [NotNullWhen(true)] out DatabaseTarget? target)
    {
        target = value.Contains('=', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal)
            ? PostgresConnectionString.FromKeywords(value)
            : null;
        return target is not null;
    }

    public IScratchDatabase CreateScratch(DatabaseTarget near, CancellationToken cancellation) => PostgresScratchDatabase.Create(near, cancellation);

    public ILockTracer OpenLockTracer(DatabaseTarget scratch, CancellationToken cancellation) => PostgresLockTracer.Open(scratch, cancellation);

    public DatabaseTarget WithCredential(DatabaseTarget target, NetworkCredential credential) =>
        PostgresConnectionString.WithCredential(target, credential);
}
