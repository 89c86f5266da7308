using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// A dedicated PostgreSQL cluster with TLS on (a throwaway CA and a server certificate for 127.0.0.1): stopped
/// mid-run and started again; and TLS modes honoured, verification failures refused.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class ServerFaultAndTlsTests(DedicatedPostgresFixture fixture) : IClassFixture<DedicatedPostgresFixture>, IDisposable
{
    private readonly TempFolder folder = new();

    private DedicatedPostgres Cluster => fixture.Cluster;

    public void Dispose() => folder.Dispose();

    [RequiresPostgresFact]
    public void Server_stopped_mid_run_fails_the_run_clearly_and_a_rerun_after_restart_completes()
    {
        var postgres = Cluster;
        var database = postgres.CreateDatabase("restart");
        var url = postgres.UrlFor(database);
        var connectionString = postgres.ConnectionStringFor(database);
        folder.Write("1.0.1__create-base.up.sql", "CREATE TABLE base (id integer);\nINSERT INTO base VALUES (1);\n");
        folder.Write("1.0.2__long.up.sql", """
            CREATE TABLE crashed_table (id integer);
            INSERT INTO base VALUES (2);
            SELECT pg_sleep(CASE WHEN to_regclass('public.go_fast') IS NULL THEN 120 ELSE 0 END);
            """);

        using var run = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url);
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(CASE%' AND state = 'active' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the long migration to start");
        postgres.StopImmediately();
        var failed = run.Wait(TimeSpan.FromSeconds(60));

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("1.0.2", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.Error.Contains("1.0.2__long.up.sql) failed: the connection to postgres://postgres@127.0.0.1:", StringComparison.Ordinal) &&
                    failed.Error.Contains("was lost in the middle of it", StringComparison.Ordinal), failed.Error);
        Assert.DoesNotContain(postgres.Password, failed.Output + failed.Error, StringComparison.Ordinal);

        postgres.StartServer();
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'crashed_table'"));
        Assert.Equal(1, PgCount(connectionString, "SELECT count(*) FROM base"));
        Assert.Equal("1.0.1:Applied", PgScalar(connectionString, "SELECT string_agg(version || ':' || state, ',') FROM schema_migrations"));
        PgScalar(connectionString, "CREATE TABLE go_fast ()");
        var rerun = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url);

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM base"));
        Record("postgres: immediate server shutdown mid-run survived");
    }

    [RequiresPostgresFact]
    public void Tls_require_and_verify_full_connect_encrypted_and_a_wrong_root_certificate_is_refused()
    {
        var postgres = Cluster;
        var database = postgres.CreateDatabase("tls");
        var connectionString = postgres.ConnectionStringFor(database);
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        var sslQuery = "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl AND a.application_name = 'TradingBot.Migrations'";

        var require = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", postgres.UrlFor(database, "?sslmode=require"));
        var verified = TbmProcess.Run(folder.Path, null, "Get-MigrationStatus", "-Database",
            postgres.UrlFor(database, "?sslmode=verify-full&sslrootcert=" + Uri.EscapeDataString(postgres.RootCertificate)));
        var wrongRoot = TbmProcess.Run(folder.Path, null, "Get-MigrationStatus", "-Database",
            postgres.UrlFor(database, "?sslmode=verify-full&sslrootcert=" + Uri.EscapeDataString(postgres.OtherRootCertificate)));

        Assert.True(require.ExitCode == 0, require.Error);
        Assert.True(verified.ExitCode == 0, verified.Error);
        Assert.Contains("Applied", verified.Output, StringComparison.Ordinal);
        Assert.Equal(1, wrongRoot.ExitCode);
        Assert.Contains("ConnectionFailed", wrongRoot.Error, StringComparison.Ordinal);
        Assert.Matches("(?i)certificate|ssl|tls|remote", wrongRoot.Error);
        Assert.DoesNotContain(postgres.Password, require.Error + verified.Error + wrongRoot.Error + wrongRoot.Output, StringComparison.Ordinal);

        // The engine's own connections (the run's and the run lock's) are encrypted under sslmode=require: watch them while it runs.
        folder.Write("1.0.2__slow.up.sql", "SELECT pg_sleep(2);\n");
        using var slow = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", postgres.UrlFor(database, "?sslmode=require"));
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the run to start");
        Assert.Equal(2, PgCount(connectionString, sslQuery));
        Assert.Equal(0, slow.Wait(TimeSpan.FromSeconds(60)).ExitCode);
        Record("tls: require and verify-full honoured, wrong root refused");
    }
}

/// <summary>One dedicated TLS cluster for the class, started on first use (a skipped test starts nothing).</summary>
public sealed class DedicatedPostgresFixture : IDisposable
{
    private readonly Lazy<DedicatedPostgres> cluster = new(() => DedicatedPostgres.Start(tls: true));

    internal DedicatedPostgres Cluster => cluster.Value;

    public void Dispose()
    {
        if (cluster.IsValueCreated)
        {
            cluster.Value.Dispose();
        }
    }
}
