using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Npgsql;
using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// Runs through nothing, a session pooler and a transaction pooler (PgBouncer, <c>default_pool_size = 4</c>): one run at
/// a time, each migration applied once, and no lock left behind on a pooled server connection once a run has ended.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class PoolerTests : IDisposable
{
    private const int Racers = 8;
    private const int Migrations = 50;
    private const int Rounds = 5;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.None)]
    [InlineData(Pooler.Session)]
    [InlineData(Pooler.Transaction)]
    public void Eight_processes_racing_through_a_pooler_apply_each_of_50_migrations_exactly_once(Pooler pooler)
    {
        for (var i = 1; i <= Migrations; i++)
        {
            folder.Write($"1.0.{i}__step-{i}.up.sql", i == 1
                ? "CREATE TABLE applied_count (n integer NOT NULL);\nINSERT INTO applied_count VALUES (1);\nCREATE TABLE step_1 (id integer);\n"
                : $"CREATE TABLE step_{i} (id integer);\nUPDATE applied_count SET n = n + 1;\n");
        }

        var databases = Enumerable.Range(0, Rounds).Select(_ => PostgresCluster.CreateDatabase("pooled")).ToList();
        var rounds = databases.Select(c => $"Invoke-Migration -Database '{Poolers.UrlFor(pooler, PostgresCluster.DatabaseNameOf(c))}' -LockTimeout 120").ToList();

        var runs = Race(folder.Path, Racers, rounds, TimeSpan.FromSeconds(300));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, $"{pooler}: exit {r.ExitCode}: {r.Error}"));
        for (var round = 0; round < Rounds; round++)
        {
            var connectionString = databases[round];
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT n FROM applied_count"));
            Assert.Equal(Migrations, runs.Sum(r => CountSucceeded(RoundOutput(r.Output, round))));
            Assert.Equal(0, AdvisoryLocksIn(connectionString));
        }

        Record($"pooler {pooler}: {Racers} processes x {Rounds} rounds, {Migrations} migrations each round, every migration applied once, all {runs.Count} processes exited 0");
    }

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.None)]
    [InlineData(Pooler.Session)]
    [InlineData(Pooler.Transaction)]
    public void A_run_right_after_another_through_a_pooler_is_never_held(Pooler pooler)
    {
        const int Runs = 6;
        var connectionString = PostgresCluster.CreateDatabase("after");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        var url = Poolers.UrlFor(pooler, database);
        // Other clients of the pooler keep its server connections busy, as an application's would: a run's statements
        // then land on whichever server connection is free.
        using var traffic = new PoolerTraffic(Poolers.ConnectionStringFor(pooler, database));

        for (var run = 1; run <= Runs; run++)
        {
            folder.Write(string.Create(CultureInfo.InvariantCulture, $"1.0.{run}__step-{run}.up.sql"),
                string.Create(CultureInfo.InvariantCulture, $"CREATE TABLE step_{run} (id integer);\nSELECT pg_sleep(0.05);\n"));
            var result = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url, "-LockTimeout", "5");

            Assert.True(result.ExitCode == 0, $"{pooler}, run {run}: exit {result.ExitCode}: {result.Error}");
            Assert.Equal(0, AdvisoryLocksIn(connectionString));
        }

        Assert.Equal(Runs, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Record($"pooler {pooler}: {Runs} runs one after another beside other clients, none held, no lock left after any");
    }

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.None)]
    [InlineData(Pooler.Session)]
    [InlineData(Pooler.Transaction)]
    public void A_run_killed_mid_migration_through_a_pooler_leaves_a_lock_the_next_run_takes_over(Pooler pooler)
    {
        var connectionString = PostgresCluster.CreateDatabase("killed");
        var url = Poolers.UrlFor(pooler, PostgresCluster.DatabaseNameOf(connectionString));
        folder.Write("1.0.1__slow.up.sql", "CREATE TABLE slow_t (id integer);\nSELECT pg_sleep(4);\n");
        using var killed = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url);
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the run to be in its migration");
        killed.Kill();

        var started = DateTime.UtcNow;
        var next = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url, "-LockTimeout", "30");
        var took = DateTime.UtcNow - started;

        Assert.True(next.ExitCode == 0, $"{pooler}: exit {next.ExitCode}: {next.Error}");
        Assert.Equal(1, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Record(string.Create(CultureInfo.InvariantCulture, $"pooler {pooler}: SIGKILL mid-migration, the next run took over and applied it in {took.TotalSeconds:0.0} s (process start and its own 4 s migration included)"));
    }

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.Transaction)]
    [InlineData(Pooler.Session)]
    public void A_run_with_timeouts_and_a_transaction_none_migration_leaves_no_setting_on_any_pooled_server_connection(Pooler pooler)
    {
        var connectionString = PostgresCluster.CreateDatabase("settings");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        folder.Write("1.0.1__table.up.sql", "-- lock_timeout: 3s\n-- statement_timeout: 1min\nCREATE TABLE t (id integer);\nINSERT INTO t VALUES (1);\n");
        folder.Write("1.0.2__index.up.sql", "-- transaction: none\n-- lock_timeout: 4s\n-- statement_timeout: 2min\n" +
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id);\nUPDATE t SET id = id + 1;\n" +
            "CREATE TABLE seen AS SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout') AS settings;\n" +
            "BEGIN;\nINSERT INTO t VALUES (10);\nINSERT INTO seen SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout');\nCOMMIT;\nVACUUM t;\n");
        using (new PoolerTraffic(Poolers.ConnectionStringFor(pooler, database)))
        {
            var run = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", Poolers.UrlFor(pooler, database), "-LockTimeout", "5");
            Assert.True(run.ExitCode == 0, $"{pooler}: exit {run.ExitCode}: {run.Output} {run.Error}");
        }

        var defaults = SettingsOf(Poolers.ConnectionStringFor(Pooler.None, database), 1).Single().Settings;
        // Four clients, each in a transaction, hold all four server connections of the transaction pool at once.
        var seen = SettingsOf(Poolers.ConnectionStringFor(pooler, database), 4);

        Assert.Equal(4, seen.Select(s => s.Pid).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(defaults, s.Settings));
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        // ... while the migration's statements ran with its timeouts, on their own and in its BEGIN block.
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM seen WHERE settings = '4s 2min'"));
        Record($"pooler {pooler}: after a run with lock_timeout/statement_timeout and a transaction: none migration, all 4 server connections show the defaults ({defaults})");
    }

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.None)]
    [InlineData(Pooler.Session)]
    [InlineData(Pooler.Transaction)]
    public void A_run_stopped_as_ctrl_c_stops_it_through_a_pooler_releases_the_lock_and_the_next_run_takes_it_at_once(Pooler pooler)
    {
        var connectionString = PostgresCluster.CreateDatabase("stopped");
        var url = Poolers.UrlFor(pooler, PostgresCluster.DatabaseNameOf(connectionString));
        // Slow until the table `fast` exists, so that the run after the stop is quick.
        folder.Write("1.0.1__slow.up.sql", "CREATE TABLE slow_t (id integer);\nSELECT pg_sleep(CASE WHEN to_regclass('fast') IS NULL THEN 60 ELSE 0 END);\n");

        // The module in this process's runspace, stopped as pwsh stops a command on Ctrl+C (the pipeline's Stop): unlike a
        // SIGKILL, the process and its connection pool live on, so only the run itself can have released the lock.
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(folder.Path));
        using var shell = PowerShell.Create(runspace);
        shell.AddScript($"Import-Module '{RepositoryPaths.Manifest}'; Invoke-Migration -Database '{url}'");
        var running = shell.BeginInvoke();
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the run to be in its migration");
        shell.Stop();

        Assert.True(running.IsCompleted, $"{pooler}: the run did not stop");
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Equal(0, AdvisoryLocksIn(connectionString));
        PgScalar(connectionString, "CREATE TABLE fast ()");
        var next = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url, "-LockTimeout", "1");

        // slow_t was rolled back with the stopped migration: had it stayed, the next run would fail on "already exists".
        Assert.True(next.ExitCode == 0, $"{pooler}: exit {next.ExitCode}: {next.Error}");
        Assert.Equal(1, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Record($"pooler {pooler}: a run stopped as Ctrl+C stops it left no advisory lock while its process lived on; the next run (-LockTimeout 1) took the lock and applied the migration");
    }

    [RequiresPgBouncerTheory]
    [InlineData(Pooler.Transaction)]
    [InlineData(Pooler.Session)]
    public void A_failed_concurrent_index_build_leaves_no_setting_on_any_pooled_server_connection(Pooler pooler)
    {
        const int Failures = 4;
        var connectionString = PostgresCluster.CreateDatabase("failedcic");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        PgScalar(connectionString, "CREATE TABLE t (id integer); INSERT INTO t VALUES (1), (1)");
        // Fails on the duplicate, after it has started with the migration's settings for the session.
        folder.Write("1.0.1__unique.up.sql", "-- transaction: none\n-- lock_timeout: 4s\n-- statement_timeout: 2min\nCREATE UNIQUE INDEX CONCURRENTLY t_id ON t (id);\n");

        // Three other clients keep the pool's free server connections busy, so that the round trip after a failed statement
        // rarely finds the server connection it failed on free.
        using (new PoolerTraffic(Poolers.ConnectionStringFor(pooler, database), clients: 3))
        {
            for (var attempt = 1; attempt <= Failures; attempt++)
            {
                var run = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", Poolers.UrlFor(pooler, database), "-LockTimeout", "5");
                Assert.True(run.ExitCode != 0 && run.Error.Contains("23505", StringComparison.Ordinal), $"{pooler}, attempt {attempt}: exit {run.ExitCode}: {run.Output} {run.Error}");
                PgScalar(connectionString, "DELETE FROM schema_migrations; DROP INDEX t_id"); // the failed build left t_id, INVALID
            }
        }

        var defaults = SettingsOf(Poolers.ConnectionStringFor(Pooler.None, database), 1).Single().Settings;
        var seen = SettingsOf(Poolers.ConnectionStringFor(pooler, database), 4);

        Assert.Equal(4, seen.Select(s => s.Pid).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(defaults, s.Settings));
        Record($"pooler {pooler}: after {Failures} runs whose CREATE UNIQUE INDEX CONCURRENTLY failed with lock_timeout/statement_timeout set, all 4 server connections show the defaults ({defaults})");
    }

    // Opens the clients together, each in a transaction, so that through a pooler each holds a server connection of its own.
    private static List<(int Pid, string Settings)> SettingsOf(string connectionString, int clients)
    {
        var connections = new List<NpgsqlConnection>();
        try
        {
            var seen = new List<(int, string)>();
            for (var i = 0; i < clients; i++)
            {
                var connection = new NpgsqlConnection(connectionString);
                connections.Add(connection);
                connection.Open();
                connection.BeginTransaction();
                using var command = new NpgsqlCommand(
                    "SELECT pg_backend_pid(), current_setting('lock_timeout') || ' ' || current_setting('statement_timeout') || ' ' || current_setting('client_connection_check_interval')", connection);
                using var reader = command.ExecuteReader();
                reader.Read();
                seen.Add((reader.GetInt32(0), reader.GetString(1)));
            }

            return seen;
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    private static long AdvisoryLocksIn(string connectionString) => PgCount(connectionString,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    private static int CountSucceeded(string output) =>
        output.Split('\n').Count(l => l.Contains("Succeeded", StringComparison.Ordinal));

    /// <summary>Clients (two unless told) running short queries through the pooler until disposed.</summary>
    private sealed class PoolerTraffic : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task[] clients;

        public PoolerTraffic(string connectionString, int clients = 2) =>
            this.clients = Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
            {
                using var connection = new NpgsqlConnection(connectionString);
                connection.Open();
                while (!stop.IsCancellationRequested)
                {
                    using var command = new NpgsqlCommand("SELECT pg_sleep(0.005)", connection);
                    command.ExecuteNonQuery();
                }
            })).ToArray();

        public void Dispose()
        {
            stop.Cancel();
            Task.WaitAll(clients);
            stop.Dispose();
        }
    }
}
