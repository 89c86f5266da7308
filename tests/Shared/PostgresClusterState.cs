using System.Collections.Concurrent;

namespace TradingBot.Migrations.Testing;

/// <summary>
/// The server behind <see cref="PostgresCluster"/>, found once per test process: the one <c>TBM_TEST_POSTGRES</c>
/// names, else a <see cref="ThrowawayPostgres"/> of this process's own, else none (with the reason).
/// </summary>
internal sealed class PostgresClusterState
{
    private const string EnvironmentVariable = PostgresCluster.EnvironmentVariable;

    private PostgresClusterState(PostgresServerTarget? target, string? psqlPath, string? reason, string description)
    {
        Target = target;
        PsqlPath = psqlPath;
        Reason = reason;
        Description = description;
    }

    public PostgresServerTarget? Target { get; }

    public string? PsqlPath { get; }

    public string? Reason { get; }

    public string Description { get; }

    /// <summary>Databases this process created, dropped at exit on a server that outlives the process.</summary>
    public ConcurrentBag<string> Created { get; } = [];

    public static PostgresClusterState Initialize()
    {
        var psql = PostgresBinaries.FindPsql();
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!PostgresServerTarget.TryParse(configured, out var target, out var error))
            {
                return Unavailable($"{EnvironmentVariable} is set but unusable: {error}");
            }

            if (psql is null)
            {
                return Unavailable("the psql client was not found (install Debian's postgresql-client).");
            }

            var state = new PostgresClusterState(target, psql, null, $"{EnvironmentVariable} ({target.Host}:{target.Port})");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => state.DropCreatedDatabases();
            return state;
        }

        if (PostgresBinaries.FindServer() is null)
        {
            return Unavailable(
                $"{EnvironmentVariable} is not set and no PostgreSQL server binaries (initdb, pg_ctl, postgres) " +
                "were found under /usr/lib/postgresql/*/bin or on PATH.");
        }

        if (psql is null)
        {
            return Unavailable("the psql client was not found (install Debian's postgresql-client).");
        }

        try
        {
            // Stopped when this process exits, however it exits (a killed test host leaves nothing running).
            var cluster = ThrowawayPostgres.Start(new ThrowawayPostgresOptions());
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            var target = new PostgresServerTarget(ThrowawayPostgres.Host, cluster.Port, ThrowawayPostgres.User, cluster.Password, "postgres");
            var state = new PostgresClusterState(target, psql, null, "throwaway cluster in " + cluster.Directory);
            try
            {
                state.ExecuteProbe();
            }
            catch
            {
                cluster.Stop();
                throw;
            }

            return state;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                      or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return Unavailable("starting a throwaway cluster failed: " + e.Message);
        }
    }

    private static PostgresClusterState Unavailable(string reason) => new(null, null, reason, "unavailable");

    private void ExecuteProbe()
    {
        // Proves password authentication over TCP works before any test relies on it.
        var result = PostgresCluster.RunPsql(PsqlPath!, Target!, Target!.Database, ["-c", "select 1"], standardInput: null);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("the new cluster refused a password login: " + result.StandardError.Trim());
        }
    }

    private void DropCreatedDatabases()
    {
        var names = Created.ToArray();
        if (names.Length == 0)
        {
            return;
        }

        try
        {
            PostgresCluster.ExecuteAdminSql(string.Concat(names.Select(n => "DROP DATABASE IF EXISTS " + PostgresCluster.QuoteIdentifier(n) + " WITH (FORCE);\n")));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
        {
            // Best effort at exit: a leftover test database is harmless.
        }
    }
}
