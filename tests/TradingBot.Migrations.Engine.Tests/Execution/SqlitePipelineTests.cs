using TradingBot.Migrations.Engine.Databases.Sqlite;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// On SQLite consecutive transactional steps share one commit, each in a savepoint with its history row. Each must
/// still be all or nothing: a failure stops at the step it hits, the steps before it stay applied and are reported,
/// the steps after it never run, whatever SQLite did to the transaction.
/// </summary>
public sealed class SqlitePipelineTests : EngineTestBase
{
    private TestDatabase Sqlite() => Database(SqlDialect.Sqlite);

    [Fact]
    public void Forty_steps_and_their_rollbacks_share_a_few_commits_not_one_each()
    {
        var db = Sqlite();
        for (var i = 1; i <= 40; i++)
        {
            Folder.Sql($"{i}", $"t{i}", $"CREATE TABLE t{i} (id integer);\nINSERT INTO t{i} VALUES ({i});", $"DROP TABLE t{i};");
        }

        using var engine = db.Open(Folder);
        var commits = 0;
        SQLitePCL.raw.sqlite3_commit_hook(((SqliteSession)engine.Session).Connection.Handle, _ => { commits++; return 0; }, null);

        engine.Migrate(new UpOptions(), new StepEventLog(), null, CancellationToken.None);
        var applying = commits;
        engine.Rollback(new DownOptions(V("0")), new StepEventLog(), null, CancellationToken.None);

        Assert.InRange(applying, 1, 10);
        Assert.InRange(commits - applying, 1, 10);
        Assert.Empty(db.History(Folder));
        Assert.False(db.TableExists("t1") || db.TableExists("t40"));
    }

    [Fact]
    public void A_failure_among_steps_sharing_a_commit_keeps_those_before_it_and_runs_none_after_it()
    {
        var db = Sqlite();
        Folder.Table("1", "a").Table("2", "b")
            .Sql("3", "breaks", "CREATE TABLE c (id integer);\nINSERT INTO no_such_table VALUES (1);\n")
            .Table("4", "d");
        var observer = new StepEventLog();
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, CancellationToken.None));

        Assert.Equal(("MigrationFailed", "3", 2), (error.ErrorId, error.Version, error.Line));
        Assert.Equal(["start 1", "Succeeded 1", "start 2", "Succeeded 2", "start 3", "Failed 3"], observer.Events);
        Assert.Equal(["1", "2"], Versions(db.History(Folder)));
        Assert.True(db.TableExists("a") && db.TableExists("b"));
        Assert.False(db.TableExists("c") || db.TableExists("d"));
    }

    [Fact]
    public void A_statement_that_rolls_back_the_whole_transaction_still_leaves_the_steps_before_it_applied()
    {
        var db = Sqlite();
        Folder.Table("1", "a").Table("2", "b")
            .Sql("3", "rolls_back", "CREATE TABLE c (id integer PRIMARY KEY);\nINSERT INTO c VALUES (1);\nINSERT OR ROLLBACK INTO c VALUES (1);\n")
            .Table("4", "d");
        var observer = new StepEventLog();
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, CancellationToken.None));

        Assert.Equal(("MigrationFailed", "3"), (error.ErrorId, error.Version));
        Assert.Equal(["start 1", "Succeeded 1", "start 2", "Succeeded 2", "start 3", "Failed 3"], observer.Events);
        Assert.Equal(["1", "2"], Versions(db.History(Folder)));
        Assert.True(db.TableExists("a") && db.TableExists("b"));
        Assert.False(db.TableExists("c") || db.TableExists("d"));
    }

    [Fact]
    public void A_deferred_foreign_key_left_broken_fails_the_step_that_broke_it()
    {
        var db = Sqlite();
        Folder.Sql("1", "parents", "CREATE TABLE parent (id integer PRIMARY KEY);\nCREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);")
            .Table("2", "b")
            .Sql("3", "orphan", "INSERT INTO child VALUES (1, 42);")
            .Table("4", "d");
        var observer = new StepEventLog();
        using var engine = db.Open(Folder);
        using (var pragma = ((SqliteSession)engine.Session).Connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA foreign_keys = ON";
            pragma.ExecuteNonQuery();
        }

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, CancellationToken.None));

        Assert.Equal(("MigrationFailed", "3"), (error.ErrorId, error.Version));
        Assert.Contains("FOREIGN KEY constraint failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["start 1", "Succeeded 1", "start 2", "Succeeded 2", "start 3", "Failed 3"], observer.Events);
        Assert.Equal(["1", "2"], Versions(db.History(Folder)));
        Assert.Equal(0, db.Count("SELECT count(*) FROM child"));
        Assert.False(db.TableExists("d"));
    }

    [Fact]
    public void Canceling_steps_sharing_a_commit_reports_exactly_what_the_history_holds()
    {
        var db = Sqlite();
        // Each migration counts to 300,000 in a recursive query: long enough for the cancel to land inside one.
        for (var i = 1; i <= 40; i++)
        {
            Folder.Sql($"{i}", $"t{i}", $"CREATE TABLE t{i} (id integer);\nWITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000) SELECT count(*) FROM n;");
        }

        var observer = new StepEventLog();
        using var engine = db.Open(Folder);
        using var cancel = new CancellationTokenSource();
        // Canceled from a thread of its own, not by a timer: the thread pool ran a 0.5 s timer late enough, while the
        // suite's other tests held its threads, that all 40 migrations (2 s) had finished first, and the test failed.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(0.5));
            cancel.Cancel();
        }) { IsBackground = true };
        canceller.Start();

        var error = Record.Exception(() => engine.Migrate(new UpOptions(), observer, null, cancel.Token));
        canceller.Join();

        // A cancel inside a statement interrupts it (MigrationCanceled); one that lands between statements or between
        // commits is the token's own OperationCanceledException, as between any two steps. Both are the run stopping.
        Assert.True(error is OperationCanceledException or MigrationException { Kind: MigrationErrorKind.Canceled }, $"the run was canceled, not: {error}");
        var applied = Versions(engine.Session.History.Read(CancellationToken.None)).Select(int.Parse).Order().ToList();
        Assert.InRange(applied.Count, 0, 39);
        Assert.Equal(Enumerable.Range(1, applied.Count), applied);
        var reported = observer.Events.Where(e => e.StartsWith("Succeeded", StringComparison.Ordinal)).ToList();
        Assert.Equal(applied.Select(i => $"Succeeded {i}"), reported);
        Assert.Equal(applied.Count, db.Count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't[0-9]*'"));
    }
}
