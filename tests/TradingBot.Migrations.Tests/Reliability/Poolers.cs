using System.Collections.Concurrent;
using System.Globalization;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>What sits between a run and the test PostgreSQL: nothing, or a PgBouncer in session or transaction mode.</summary>
public enum Pooler
{
    None,
    Session,
    Transaction,
}

/// <summary>
/// The test process's PgBouncers in front of <see cref="PostgresCluster"/>, one per pool mode, started on first use
/// and stopped when the process exits.
/// </summary>
internal static class Poolers
{
    // A transaction pooler shares few server connections among many clients: 4, as hosted poolers give. A session
    // pooler gives each client connection a server connection of its own until it disconnects, and the racing processes
    // keep their idle pooled connections between rounds (Npgsql's pool), two per run (work and lock): room for them.
    private const int TransactionPoolSize = 4;
    private const int SessionPoolSize = 20;

    private static readonly ConcurrentDictionary<Pooler, Lazy<ThrowawayPgBouncer>> Started = new();

    /// <summary>The URL of a database of the test cluster as seen through <paramref name="pooler"/>.</summary>
    public static string UrlFor(Pooler pooler, string database) => pooler == Pooler.None
        ? PostgresCluster.UrlFor(database)
        : string.Create(CultureInfo.InvariantCulture,
            $"postgres://{Uri.EscapeDataString(PostgresCluster.User)}:{Uri.EscapeDataString(PostgresCluster.Password)}@127.0.0.1:{PortOf(pooler)}/{Uri.EscapeDataString(database)}");

    /// <summary>Npgsql keyword form of <see cref="UrlFor"/>, without Npgsql's own pooling.</summary>
    public static string ConnectionStringFor(Pooler pooler, string database) => pooler == Pooler.None
        ? PostgresCluster.ConnectionStringFor(database) + ";Pooling=false"
        : string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={PortOf(pooler)};Username={PostgresCluster.User};Password={PostgresCluster.Password};Database={database};Pooling=false");

    private static int PortOf(Pooler pooler) =>
        Started.GetOrAdd(pooler, mode => new Lazy<ThrowawayPgBouncer>(() => ThrowawayPgBouncer.Start(
            PostgresCluster.Host, PostgresCluster.Port, PostgresCluster.User, PostgresCluster.Password,
            mode == Pooler.Session ? PgBouncerPoolMode.Session : PgBouncerPoolMode.Transaction,
            mode == Pooler.Session ? SessionPoolSize : TransactionPoolSize))).Value.Port;
}

/// <summary>A PostgreSQL theory that also needs pgbouncer: skipped without it, except where PostgreSQL tests must run (CI).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPgBouncerTheoryAttribute : TheoryAttribute
{
    public RequiresPgBouncerTheoryAttribute() =>
        Skip = PostgresCluster.SkipReason ?? (PostgresCluster.IsRequired || ThrowawayPgBouncer.FindBinary() is not null
            ? null : "pgbouncer is not installed (Debian: apt-get install pgbouncer)");
}
