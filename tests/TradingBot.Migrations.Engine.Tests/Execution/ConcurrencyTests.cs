namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// Runs racing against one database (two CI jobs at once): PostgreSQL serialises them with its advisory lock,
/// SQLite with BEGIN IMMEDIATE and a re-read of the history row in each step's transaction.
/// </summary>
public sealed class ConcurrencyTests : EngineTestBase
{
    private const int Migrations = 8;
    private const int Engines = 3;
    private const int Rounds = 4;

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Engines_migrating_one_database_at_once_apply_each_migration_exactly_once_and_all_succeed(SqlDialect dialect)
    {
        Folder.Sql("1", "log", "CREATE TABLE applied_log (version text NOT NULL);");
        for (var i = 2; i <= Migrations; i++)
        {
            // CREATE TABLE fails if run twice; the log row counts runs that a unique constraint would not catch.
            Folder.Sql(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "step", $"CREATE TABLE t{i} (id integer);\nINSERT INTO applied_log (version) VALUES ('{i}');");
        }

        for (var round = 0; round < Rounds; round++)
        {
            var db = Database(dialect);
            using var start = new Barrier(Engines);
            var results = new IReadOnlyList<StepResult>?[Engines];
            var errors = new Exception?[Engines];
            var threads = Enumerable.Range(0, Engines).Select(n => new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    results[n] = db.Migrate(Folder);
                }
                catch (Exception e)
                {
                    errors[n] = e;
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.All(errors, e => Assert.Null(e));
            var applied = results.SelectMany(r => r!).Where(r => r.Outcome == StepOutcome.Succeeded).Select(r => r.Step.Migration.Version.Text).ToList();
            Assert.Equal(Migrations, applied.Count);
            Assert.Equal(Migrations, applied.Distinct().Count());
            Assert.Equal(Migrations, db.History(Folder).Count);
            Assert.Equal(Migrations - 1, db.Count("SELECT count(*) FROM applied_log"));
            Assert.Equal(Migrations - 1, db.Count("SELECT count(DISTINCT version) FROM applied_log"));
        }
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_run_that_starts_after_another_finished_finds_nothing_to_do(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        using var first = db.Open(Folder);
        using var second = db.Open(Folder);
        Assert.Equal(4, second.PlanUp(new UpOptions(), CancellationToken.None).Steps.Count); // stale view before the first run

        first.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None);
        var results = second.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None);

        Assert.Empty(results); // Migrate reads the history afresh, not the stale view
        Assert.Equal(4, db.History(Folder).Count);
    }
}
