using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TradingBot.Migrations.Testing;

/// <summary>
/// The PostgreSQL server that tests run against, one per test process.
/// <list type="bullet">
/// <item>If <c>TBM_TEST_POSTGRES</c> is set (an Npgsql connection string, or a <c>postgres://</c> URL), that server
/// is used; <c>build.ps1 -Task Test</c> (and so <c>.ci/run</c>) sets it to the throwaway cluster it started.</item>
/// <item>Otherwise, where the PostgreSQL server binaries are installed, a <see cref="ThrowawayPostgres"/> is started on
/// the first use. It is stopped and deleted when the test process exits (by a detached watchdog that notices the exit,
/// so a killed test host leaves nothing running either).</item>
/// <item>Otherwise the cluster is unavailable: <see cref="RequiresPostgresFactAttribute"/> skips, except in CI
/// (<c>CI=true</c>) or when <c>TBM_TEST_POSTGRES</c> is set, where the tests run and fail.</item>
/// </list>
/// Admin work goes through the <c>psql</c> client binary, so this file depends on no database driver.
/// </summary>
public static class PostgresCluster
{
    /// <summary>The environment variable that names an existing server to use.</summary>
    public const string EnvironmentVariable = "TBM_TEST_POSTGRES";

    private static readonly Lazy<PostgresClusterState> State = new(PostgresClusterState.Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True in CI (<c>CI=true</c> or <c>CI=1</c>), where an unavailable cluster must fail the tests.</summary>
    public static bool IsCi { get; } = IsTruthy(Environment.GetEnvironmentVariable("CI"));

    /// <summary>True where PostgreSQL tests must run, not skip: in CI, or when <c>TBM_TEST_POSTGRES</c> is set.</summary>
    public static bool IsRequired =>
        IsCi || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Starts (or finds) the cluster on first use; false when there is none to be had.</summary>
    public static bool IsAvailable => State.Value.Target is not null;

    /// <summary>Why the cluster is unavailable, or null when it is available.</summary>
    public static string? UnavailableReason => State.Value.Reason;

    /// <summary>
    /// The skip message for a PostgreSQL test, or null when it must run: it runs wherever the cluster is available,
    /// and wherever it is required (then it fails with the reason). Asked where it is not required, it starts the cluster.
    /// </summary>
    public static string? SkipReason =>
        IsRequired || IsAvailable ? null : "PostgreSQL is unavailable: " + UnavailableReason;

    /// <summary>Where the server came from: the environment variable, or the data directory of our own cluster.</summary>
    public static string Description => State.Value.Description;

    public static string Host => Target.Host;

    public static int Port => Target.Port;

    public static string User => Target.User;

    public static string Password => Target.Password;

    /// <summary>The database admin statements run in (normally <c>postgres</c>).</summary>
    public static string AdminDatabase => Target.Database;

    /// <summary>Npgsql keyword form for the admin database.</summary>
    public static string AdminConnectionString => ConnectionStringFor(AdminDatabase);

    /// <summary>Npgsql keyword form: <c>Host=...;Port=...;Username=...;Password=...;Database=...</c>.</summary>
    public static string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var target = Target;
        var builder = new DbConnectionStringBuilder
        {
            ["Host"] = target.Host,
            ["Port"] = target.Port.ToString(CultureInfo.InvariantCulture),
            ["Username"] = target.User,
            ["Password"] = target.Password,
            ["Database"] = database,
        };
        return builder.ConnectionString;
    }

    /// <summary>The same target as a URL: <c>postgres://user:password@host:port/database</c>.</summary>
    public static string UrlFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var target = Target;
        var host = target.Host.Contains(':', StringComparison.Ordinal) ? "[" + target.Host + "]" : target.Host;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"postgres://{Uri.EscapeDataString(target.User)}:{Uri.EscapeDataString(target.Password)}@{host}:{target.Port}/{Uri.EscapeDataString(database)}");
    }

    /// <summary>
    /// Creates a brand-new empty database (from template0) named <c>prefix_</c> plus a random suffix, and returns
    /// its connection string. <see cref="DatabaseNameOf"/> gives the name back.
    /// </summary>
    public static string CreateDatabase(string prefix)
    {
        var state = Available;
        var name = NewDatabaseName(prefix);
        ExecuteAdminSql("CREATE DATABASE " + QuoteIdentifier(name) + " TEMPLATE template0;");
        state.Created.Add(name);
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database, disconnecting anyone still in it. No error if it does not exist.</summary>
    public static void DropDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ExecuteAdminSql("DROP DATABASE IF EXISTS " + QuoteIdentifier(name) + " WITH (FORCE);");
    }

    /// <summary>The <c>Database</c> of an Npgsql keyword connection string.</summary>
    public static string DatabaseNameOf(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.TryGetValue("Database", out var value) && value is string name && name.Length > 0
            ? name
            : throw new ArgumentException("The connection string names no Database.", nameof(connectionString));
    }

    /// <summary>Runs SQL in the admin database through psql; returns its output (unaligned, tuples only, '|' between fields).</summary>
    public static string ExecuteAdminSql(string sql) => ExecuteSql(AdminDatabase, sql);

    /// <summary>Runs SQL in the given database through psql (each statement in its own transaction; stops at the first error).</summary>
    public static string ExecuteSql(string database, string sql)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(sql);
        var state = Available;
        var target = state.Target!;
        var result = RunPsql(state.PsqlPath!, target, database, ["-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], sql);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"psql failed (exit {result.ExitCode}) on {target.Host}:{target.Port}/{database}: {result.StandardError.Trim()}"));
        }

        return result.StandardOutput.TrimEnd('\n', '\r');
    }

    internal static ProcessResult RunPsql(string psql, PostgresServerTarget target, string database, IReadOnlyList<string> arguments, string? standardInput) =>
        ProcessRunner.Run(
            psql,
            ["-X", "-w", "-A", "-t", .. arguments],
            standardInput,
            environment: new Dictionary<string, string?>
            {
                ["PGHOST"] = target.Host,
                ["PGPORT"] = target.Port.ToString(CultureInfo.InvariantCulture),
                ["PGUSER"] = target.User,
                ["PGPASSWORD"] = target.Password,
                ["PGDATABASE"] = database,
                ["PGCONNECT_TIMEOUT"] = "10",
                ["PGAPPNAME"] = "tbm-tests",
                ["PGSERVICE"] = null,
                ["PGOPTIONS"] = null,
            },
            timeout: TimeSpan.FromMinutes(2));

    /// <summary>Throws, with the reason, when the cluster is unavailable.</summary>
    public static void EnsureAvailable() => _ = Available;

    private static PostgresServerTarget Target => Available.Target!;

    private static PostgresClusterState Available
    {
        get
        {
            var state = State.Value;
            return state.Target is not null
                ? state
                : throw new InvalidOperationException("PostgreSQL is unavailable for tests: " + state.Reason);
        }
    }

    private static string NewDatabaseName(string prefix)
    {
        var builder = new StringBuilder();
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        var stem = builder.Length == 0 ? "tbm" : builder.ToString(0, Math.Min(builder.Length, 40));
        return stem + "_" + RandomNumberGenerator.GetHexString(12, lowercase: true);
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsTruthy(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
