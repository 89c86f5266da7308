using System.Collections.Concurrent;
using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>The engine's Npgsql data sources: one per connection string (and type-loading choice) for the process.</summary>
internal static class PostgresDataSources
{
    // One data source per connection string for the process, as Npgsql keeps one for each string it is given, so a
    // pwsh session's runs reuse pooled connections. Npgsql reads the server's whole type catalog when a data source
    // first connects (40 to 50 ms of a cold start here, most of it the server's); the engine's own queries and the
    // results of SQL scripts, which it skips, need only the built-in types Npgsql knows without it, so it is read only
    // for folders with PowerShell migrations, which can query enums, domains and extension types.
    private static readonly ConcurrentDictionary<(string ConnectionString, bool UserTypes), NpgsqlDataSource> DataSources = new();

    public static NpgsqlDataSource For(string connectionString, bool userTypesNeeded) =>
        DataSources.GetOrAdd((connectionString, userTypesNeeded), static key =>
        {
            var builder = new NpgsqlDataSourceBuilder(key.ConnectionString);
            if (!key.UserTypes)
            {
                builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
            }

            return builder.Build();
        });

    /// <summary>Closes the idle pooled connections the engine keeps for this connection string (tests drop databases).</summary>
    public static void Clear(string connectionString)
    {
        foreach (var (key, source) in DataSources)
        {
            if (key.ConnectionString == connectionString)
            {
                source.Clear();
            }
        }
    }

    /// <summary>
    /// Closes and forgets every data source that reaches the same database as the same user, whatever timeouts its
    /// connection string adds: a fleet's target is done, and neither its idle connections nor its data source (95 KiB
    /// where it loaded the type catalog) may stay for each of hundreds of targets. A connection in use closes when it is returned.
    /// </summary>
    public static void Release(string connectionString)
    {
        var wanted = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var key in DataSources.Keys)
        {
            var candidate = new NpgsqlConnectionStringBuilder(key.ConnectionString);
            if (candidate.Host == wanted.Host && candidate.Port == wanted.Port && candidate.Database == wanted.Database &&
                candidate.Username == wanted.Username && DataSources.TryRemove(key, out var source))
            {
                source.Dispose();
            }
        }
    }

    /// <summary>Closes and forgets the data sources of a database that is about to be dropped (a scratch database).</summary>
    public static void Forget(string connectionString)
    {
        foreach (var key in DataSources.Keys.Where(k => k.ConnectionString == connectionString))
        {
            if (DataSources.TryRemove(key, out var source))
            {
                source.Dispose();
            }
        }
    }
}
