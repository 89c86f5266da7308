using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// PostgreSQL re-runs: a lost race is reported as one, not as a broken migration; an invalid index left by a failed
/// CREATE INDEX CONCURRENTLY is named before the migration runs again, or dropped first when asked.
/// </summary>
public sealed class PostgresRunLockTests : EngineTestBase
{
    [RequiresPostgresFact]
    public void A_migration_another_run_committed_meanwhile_is_reported_as_a_lost_race_not_a_broken_migration()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Sql("1", "raced", "SELECT pg_sleep(1.5);\nCREATE TABLE raced (id integer);");
        Exception? error = null;
        var run = new Thread(() => error = Record.Exception(() => db.Migrate(Folder)));
        run.Start();
        ReliabilityWait(() => db.Count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()") > 0);

        // Another run, one that never took the lock (an older tool, a DBA by hand), applies the same migration meanwhile.
        db.Execute("BEGIN; CREATE TABLE raced (id integer); " +
                   "INSERT INTO schema_migrations (version, name, checksum, applied_by, execution_ms) VALUES ('1', 'raced', 'x', 'other-run', 1); COMMIT;");
        run.Join();

        var failure = Assert.IsType<MigrationException>(error);
        Assert.Equal("MigrationAppliedByAnotherRun", failure.ErrorId);
        Assert.Equal("1", failure.Version);
        Assert.Contains("applied by another run (other-run", failure.Message, StringComparison.Ordinal);
        Assert.Contains("42P07", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Fix", failure.RecommendedAction!, StringComparison.Ordinal);
        var row = Assert.Single(db.History(Folder));
        Assert.Equal("other-run", row.AppliedBy);
    }

    [RequiresPostgresFact]
    public void An_invalid_index_left_by_a_failed_concurrent_build_is_named_before_the_rerun_and_dropped_when_asked()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Sql("1", "t", "CREATE TABLE t (id integer, x integer);\nINSERT INTO t SELECT g, g % 10 FROM generate_series(1, 1000) g;")
            .Sql("2", "t-x", "-- transaction: none\nCREATE UNIQUE INDEX CONCURRENTLY t_x ON t (x);");
        Assert.Throws<MigrationException>(() => db.Migrate(Folder)); // duplicates in x: the build fails, the index stays, invalid
        Assert.False((bool)db.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass")!);
        // The user fixes the data and records the failed migration as rolled back, as the Failed error tells them.
        db.Execute("UPDATE t SET x = id; DELETE FROM schema_migrations WHERE version = '2';");

        var blocked = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("InvalidIndexBlocksMigration", blocked.ErrorId);
        Assert.Contains("public.t_x", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("INVALID", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("-DropInvalidIndexes", blocked.RecommendedAction!, StringComparison.Ordinal);
        Assert.Equal(["1"], db.History(Folder).Select(r => r.Version));

        var results = db.Migrate(Folder, new UpOptions(DropInvalidIndexes: true));

        Assert.Equal(StepOutcome.Succeeded, Assert.Single(results).Outcome);
        Assert.True((bool)db.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass")!);
        Assert.Equal(1, db.Count("SELECT count(*) FROM pg_indexes WHERE indexname = 't_x'"));
    }

    [RequiresPostgresFact]
    public void Status_shows_a_non_transactional_migration_Running_while_its_run_lives_and_Applied_after()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Sql("1", "slow-backfill", "-- transaction: none\nCREATE TABLE t (id integer);\nSELECT pg_sleep(2);");
        var run = new Thread(() => db.Migrate(Folder));
        run.Start();
        ReliabilityWait(() => db.Count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()") > 0);

        MigrationState whileAlive;
        using (var engine = db.Open(Folder))
        {
            whileAlive = Assert.Single(engine.GetStatusWithRunsInProgress(CancellationToken.None)).State;
        }

        run.Join();
        using var after = db.Open(Folder);
        Assert.Equal(MigrationState.Running, whileAlive);
        Assert.Equal(MigrationState.Applied, Assert.Single(after.GetStatusWithRunsInProgress(CancellationToken.None)).State);
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY t_x ON t (x)", "t_x")]
    [InlineData("-- build it\ncreate unique index concurrently if not exists \"Odd Name\" on t (x)", "\"Odd Name\"")]
    [InlineData("CREATE INDEX CONCURRENTLY app.t_x ON app.t (x)", "app.t_x")]
    [InlineData("CREATE INDEX t_x ON t (x)", null)]
    [InlineData("DROP INDEX CONCURRENTLY t_x", null)]
    public void The_index_a_concurrent_build_names_is_found(string statement, string? expected) =>
        Assert.Equal(expected, InvalidIndexCheck.IndexBuiltConcurrently(statement));

    [Theory]
    [InlineData("t_x", "public.t_x", true)]
    [InlineData("T_X", "public.t_x", true)]
    [InlineData("\"T_X\"", "public.t_x", false)]
    [InlineData("app.t_x", "public.t_x", false)]
    [InlineData("\"Odd Name\"", "public.\"Odd Name\"", true)]
    public void An_index_name_matches_as_postgres_resolves_it(string statementName, string invalidIndex, bool same) =>
        Assert.Equal(same, InvalidIndexCheck.SameIndex(statementName, invalidIndex));

    private static void ReliabilityWait(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the migration never started");
            Thread.Sleep(20);
        }
    }
}
