using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>The PostgreSQL run lock's second round: a lost race is reported as one, not as a broken migration.</summary>
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
