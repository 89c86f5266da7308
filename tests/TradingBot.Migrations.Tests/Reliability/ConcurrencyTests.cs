using System.Globalization;
using Npgsql;
using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>Separate OS processes (tbm) racing on one database: every migration applied exactly once.</summary>
[Collection(ReliabilityGroup.Name)]
public sealed class ConcurrencyTests : IDisposable
{
    private const int Racers = 8;
    private const int Migrations = 50;
    private const int Rounds = 3;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private void Write50Migrations()
    {
        for (var i = 1; i <= Migrations; i++)
        {
            // Each migration creates a table and counts itself into a shared one: a second application would fail
            // (the table exists) or double the count.
            folder.Write($"1.0.{i}__step-{i}.up.sql", i == 1
                ? "CREATE TABLE applied_count (n integer NOT NULL);\nINSERT INTO applied_count VALUES (1);\nCREATE TABLE step_1 (id integer);\n"
                : $"CREATE TABLE step_{i} (id integer);\nUPDATE applied_count SET n = n + 1;\n");
        }
    }

    [RequiresPostgresFact]
    public void Eight_processes_racing_on_one_postgres_database_apply_each_of_50_migrations_exactly_once()
    {
        Write50Migrations();
        var databases = Enumerable.Range(0, Rounds).Select(_ => PostgresCluster.CreateDatabase("race")).ToList();
        var rounds = databases.Select(c => $"Invoke-Migration -Database '{PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(c))}' -LockTimeout 120").ToList();

        var runs = Race(folder.Path, Racers, rounds, TimeSpan.FromSeconds(180));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}"));
        for (var round = 0; round < Rounds; round++)
        {
            var connectionString = databases[round];
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT count(*) FROM schema_migrations"));
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT n FROM applied_count"));
            Assert.Equal(Migrations, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'step\\_%'"));
            Assert.Equal(Migrations, runs.Sum(r => CountSucceeded(RoundOutput(r.Output, round))));
            Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
            Record($"postgres race round {round + 1}: {Racers} processes, {Migrations} migrations, applied by {runs.Count(r => CountSucceeded(RoundOutput(r.Output, round)) > 0)} process(es), all exited 0");
        }
    }

    [Fact]
    public void Eight_processes_racing_on_one_sqlite_file_apply_each_of_50_migrations_exactly_once()
    {
        Write50Migrations();
        var files = Enumerable.Range(0, Rounds).Select(r => Path.Combine(folder.Path, $"race-{r}.db")).ToList();

        var runs = Race(folder.Path, Racers, files.Select(f => $"Invoke-Migration -Database 'sqlite:{f}' -LockTimeout 120").ToList(), TimeSpan.FromSeconds(180));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}"));
        for (var round = 0; round < Rounds; round++)
        {
            var file = files[round];
            Assert.Equal(Migrations, SqliteCount(file, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
            Assert.Equal(Migrations, SqliteCount(file, "SELECT count(*) FROM schema_migrations"));
            Assert.Equal(Migrations, SqliteCount(file, "SELECT n FROM applied_count"));
            Assert.Equal(Migrations, runs.Sum(r => CountSucceeded(RoundOutput(r.Output, round))));
            Record($"sqlite race round {round + 1}: {Racers} processes, {Migrations} migrations, applied by {runs.Count(r => CountSucceeded(RoundOutput(r.Output, round)) > 0)} process(es), all exited 0");
        }
    }

    [RequiresPostgresFact]
    public void Lock_timeout_names_the_holder_and_changes_nothing()
    {
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        var connectionString = PostgresCluster.CreateDatabase("locktimeout");
        var url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString));
        using var holder = new NpgsqlConnection(connectionString + ";Application Name=nightly-batch");
        holder.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = LockKeyFor("schema_migrations") });
            take.ExecuteNonQuery();
        }

        var holderPid = holder.ProcessID;
        var started = DateTime.UtcNow;
        var run = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url, "-LockTimeout", "2");
        var waited = DateTime.UtcNow - started;

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("MigrationLockTimeout", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.Contains(string.Create(CultureInfo.InvariantCulture, $"pid {holderPid}"), StringComparison.Ordinal), run.Error);
        Assert.Contains("application 'nightly-batch'", run.Error, StringComparison.Ordinal);
        Assert.Contains("client 127.0.0.1", run.Error, StringComparison.Ordinal);
        Assert.Contains("connected since", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", run.Error, StringComparison.Ordinal);
        Assert.True(waited < TimeSpan.FromSeconds(60), $"waited {waited}");
        Assert.DoesNotContain(PostgresCluster.Password, run.Output + run.Error, StringComparison.Ordinal);
        // Nothing changed: not even the history table was created.
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [RequiresPostgresFact]
    public void A_concurrent_index_build_runs_while_another_process_waits_for_the_lock()
    {
        folder.Write("1.0.1__create-trades.up.sql",
            "CREATE TABLE trades (id integer, symbol text);\nINSERT INTO trades SELECT g, 'S' || g FROM generate_series(1, 20000) g;\nSELECT pg_sleep(3);\n");
        folder.Write("1.0.2__index-symbol.up.sql", "-- transaction: none\nCREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);\n");
        var connectionString = PostgresCluster.CreateDatabase("cic");
        var url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString));

        using var first = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url);
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the first run to hold the lock");
        using var second = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url, "-LockTimeout", "60");

        var firstResult = first.Wait(TimeSpan.FromSeconds(60));
        var secondResult = second.Wait(TimeSpan.FromSeconds(60));

        Assert.True(firstResult.ExitCode == 0, firstResult.Error);
        Assert.True(secondResult.ExitCode == 0, secondResult.Error);
        Assert.Equal(2, CountSucceeded(firstResult.Output));
        Assert.Equal(0, CountSucceeded(secondResult.Output));
        Assert.True((bool)PgScalar(connectionString, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'trades_symbol_idx'::regclass")!);
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
    }

    private static int CountSucceeded(string output) =>
        output.Split('\n').Count(l => l.Contains("Succeeded", StringComparison.Ordinal));
}
