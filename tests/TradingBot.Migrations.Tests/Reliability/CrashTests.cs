using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// tbm processes killed with SIGKILL in the middle of a migration: the database is exactly at the previous
/// version, the lock is free, status tells the truth, and the next run applies cleanly.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class CrashTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [RequiresPostgresFact]
    public void Postgres_run_killed_mid_transaction_leaves_no_trace_and_the_next_run_applies_cleanly()
    {
        var connectionString = PostgresCluster.CreateDatabase("kill");
        var url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString));
        folder.Write("1.0.1__create-base.up.sql", "CREATE TABLE base (id integer);\nINSERT INTO base VALUES (1), (2);\n");
        // Slow until the test creates go_fast, so the rerun after the kill is quick; the file never changes.
        folder.Write("1.0.2__long.up.sql", """
            CREATE TABLE killed_table (id integer);
            ALTER TABLE base ADD COLUMN killed_col integer;
            INSERT INTO base VALUES (3);
            SELECT pg_sleep(CASE WHEN to_regclass('public.go_fast') IS NULL THEN 120 ELSE 0 END);
            """);

        using var run = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url);
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(CASE%' AND state = 'active' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the long migration to start");
        run.Kill();

        // The server notices the dead client within about a second (client_connection_check_interval) and rolls back.
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'TradingBot.Migrations'") == 0,
            TimeSpan.FromSeconds(20), "the killed run's backend to go away");
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'killed_table'"));
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'killed_col'"));
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM base"));
        Assert.Equal("1.0.1:Applied", PgScalar(connectionString, "SELECT string_agg(version || ':' || state, ',') FROM schema_migrations"));
        var status = TbmProcess.Run(folder.Path, null, "-c", $"Get-MigrationStatus -Database '{url}' | ForEach-Object {{ \"$($_.Version)=$($_.State)\" }}");
        Assert.Contains("1.0.1=Applied", status.Output, StringComparison.Ordinal);
        Assert.Contains("1.0.2=Pending", status.Output, StringComparison.Ordinal);

        PostgresCluster.ExecuteSql(PostgresCluster.DatabaseNameOf(connectionString), "CREATE TABLE go_fast ();");
        var rerun = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url);

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(3, PgCount(connectionString, "SELECT count(*) FROM base"));
        Assert.Equal(2, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Record("postgres: SIGKILL mid-transaction survived");
    }

    [Fact]
    public void Sqlite_run_killed_mid_transaction_leaves_no_trace_and_the_next_run_applies_cleanly()
    {
        var file = Path.Combine(folder.Path, "kill.db");
        folder.Write("1.0.1__create-base.up.sql", "CREATE TABLE base (id integer);\nINSERT INTO base VALUES (1), (2);\nCREATE TABLE size (n integer);\nINSERT INTO size VALUES (200000000);\n");
        // A big insert loop (recursive CTE); the test shrinks it through the size table before the rerun.
        folder.Write("1.0.2__long.up.sql", """
            CREATE TABLE killed_table (id integer);
            ALTER TABLE base ADD COLUMN killed_col integer;
            INSERT INTO base (id) VALUES (3);
            INSERT INTO killed_table WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM size)) SELECT x FROM c;
            """);
        Assert.Equal(0, TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:" + file, "-TargetVersion", "1.0.1").ExitCode);

        using var run = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", "sqlite:" + file);
        WaitUntil(() => File.Exists(file + "-journal") && new FileInfo(file).Length > 4_000_000, TimeSpan.FromSeconds(60), "the big insert to be under way");
        run.Kill();

        Assert.True(File.Exists(file + "-journal"), "the killed run should leave a hot journal for SQLite to roll back");
        // Opening the file rolls the hot journal back, as the next run does.
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'killed_table'"));
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM pragma_table_info('base') WHERE name = 'killed_col'"));
        Assert.Equal(2, SqliteCount(file, "SELECT count(*) FROM base"));
        Assert.Equal("ok", SqliteScalar(file, "PRAGMA integrity_check"));
        var status = TbmProcess.Run(folder.Path, null, "-c", $"Get-MigrationStatus -Database 'sqlite:{file}' | ForEach-Object {{ \"$($_.Version)=$($_.State)\" }}");
        Assert.Contains("1.0.1=Applied", status.Output, StringComparison.Ordinal);
        Assert.Contains("1.0.2=Pending", status.Output, StringComparison.Ordinal);

        SqliteScalar(file, "UPDATE size SET n = 10");
        var rerun = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:" + file);

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(10, SqliteCount(file, "SELECT count(*) FROM killed_table"));
        Assert.Equal(2, SqliteCount(file, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Record("sqlite: SIGKILL mid-transaction survived");
    }

    [RequiresPostgresFact]
    public void Postgres_non_transactional_migration_killed_half_way_is_Failed_at_its_statement_blocks_runs_until_repaired()
    {
        var connectionString = PostgresCluster.CreateDatabase("killnt");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        var url = PostgresCluster.UrlFor(database);
        folder.Write("1.0.1__create-base.up.sql", "CREATE TABLE base (id integer);\n");
        folder.Write("1.0.2__no-transaction.up.sql", """
            -- transaction: none
            CREATE TABLE nt_first (id integer);
            SELECT pg_sleep(CASE WHEN to_regclass('public.go_fast') IS NULL THEN 120 ELSE 0 END);
            CREATE TABLE nt_second (id integer);
            """);
        folder.Write("1.0.3__after.up.sql", "CREATE TABLE after_repair (id integer);\n");

        using var run = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", url);
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(CASE%' AND state = 'active' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(60), "the non-transactional migration to reach its second statement");
        run.Kill();
        WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'TradingBot.Migrations'") == 0,
            TimeSpan.FromSeconds(20), "the killed run's backend to go away");

        // Half-applied, and visibly so: the row says Failed and names the statement it stopped at.
        Assert.Equal(1, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'nt_first'"));
        Assert.Equal("Failed", PgScalar(connectionString, "SELECT state FROM schema_migrations WHERE version = '1.0.2'"));
        Assert.Contains("pg_sleep", (string)PgScalar(connectionString, "SELECT failed_statement FROM schema_migrations WHERE version = '1.0.2'")!, StringComparison.Ordinal);
        var status = TbmProcess.Run(folder.Path, null, "-c", $"Get-MigrationStatus -Database '{url}' | ForEach-Object {{ \"$($_.Version)=$($_.State)\" }}");
        Assert.Contains("1.0.2=Failed", status.Output, StringComparison.Ordinal);

        var blocked = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url);
        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("FailedMigrationBlocks", blocked.Error, StringComparison.Ordinal);
        Assert.Equal(0, PgCount(connectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'after_repair'"));

        // The operator finishes the migration by hand, then records it.
        PostgresCluster.ExecuteSql(database, "CREATE TABLE nt_second (id integer);");
        var repair = TbmProcess.Run(folder.Path, null, "Repair-Migration", "-Version", "1.0.2", "-Action", "MarkApplied", "-Force", "-Database", url);
        Assert.True(repair.ExitCode == 0, repair.Error);
        var after = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url);

        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Equal(3, PgCount(connectionString, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        Assert.Equal(1, PgCount(connectionString, "SELECT count(*) FROM schema_migrations_repairs WHERE version = '1.0.2' AND action = 'MarkApplied' AND previous_state = 'Failed' AND repaired_by <> ''"));
        Record("postgres: SIGKILL in a non-transactional migration recorded as Failed and repaired");
    }

    [Fact]
    public void Sqlite_non_transactional_migration_killed_half_way_is_Failed_at_its_statement()
    {
        var file = Path.Combine(folder.Path, "killnt.db");
        folder.Write("1.0.1__no-transaction.up.sql", """
            -- transaction: none
            CREATE TABLE nt_first (id integer);
            CREATE TABLE nt_big (id integer);
            INSERT INTO nt_big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) SELECT x FROM c;
            CREATE TABLE nt_second (id integer);
            """);

        using var run = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", "sqlite:" + file);
        WaitUntil(() => File.Exists(file) && new FileInfo(file).Length > 4_000_000, TimeSpan.FromSeconds(60), "the big insert to be under way");
        run.Kill();

        Assert.Equal(1, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'nt_first'"));
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM nt_big"));
        Assert.Equal("Failed", SqliteScalar(file, "SELECT state FROM schema_migrations WHERE version = '1.0.1'"));
        Assert.Contains("INSERT INTO nt_big", (string)SqliteScalar(file, "SELECT failed_statement FROM schema_migrations WHERE version = '1.0.1'")!, StringComparison.Ordinal);
        var blocked = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:" + file);
        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("FailedMigrationBlocks", blocked.Error, StringComparison.Ordinal);
        Record("sqlite: SIGKILL in a non-transactional migration recorded as Failed");
    }

    [Fact]
    public void Sqlite_non_transactional_migration_that_fails_is_Failed_at_its_statement()
    {
        var file = Path.Combine(folder.Path, "failnt.db");
        folder.Write("1.0.1__no-transaction.up.sql", "-- transaction: none\nCREATE TABLE nt_first (id integer);\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE nt_second (id integer);\n");

        var run = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:" + file);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Failed", SqliteScalar(file, "SELECT state FROM schema_migrations WHERE version = '1.0.1'"));
        Assert.Equal("INSERT INTO no_such_table VALUES (1)", ((string)SqliteScalar(file, "SELECT failed_statement FROM schema_migrations")!).TrimEnd(';', '\n'));
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'nt_second'"));
    }
}
