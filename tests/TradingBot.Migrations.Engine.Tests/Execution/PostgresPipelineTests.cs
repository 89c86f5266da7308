using System.Diagnostics;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// On PostgreSQL consecutive transactional steps go to the server in one batch. Each must still be its own
/// transaction: a failure stops at the step it hits, the steps before it stay committed and are reported, the steps
/// after it never run, and each step is timed on its own.
/// </summary>
public sealed class PostgresPipelineTests : EngineTestBase
{
    private TestDatabase Postgres() => Database(SqlDialect.PostgreSql);

    [RequiresPostgresFact]
    public void A_failure_among_steps_sent_together_keeps_those_before_it_and_runs_none_after_it()
    {
        var db = Postgres();
        Folder.Table("1", "a").Table("2", "b")
            .Sql("3", "breaks", "CREATE TABLE c (id integer);\nINSERT INTO no_such_table VALUES (1);\n")
            .Table("4", "d").Table("5", "e");
        var observer = new StepEventLog();
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, CancellationToken.None));

        Assert.Equal(("MigrationFailed", "3", 2), (error.ErrorId, error.Version, error.Line));
        Assert.Equal(["start 1", "Succeeded 1", "start 2", "Succeeded 2", "start 3", "Failed 3"], observer.Events);
        Assert.Equal(["1", "2"], Versions(engine.Session.History.Read(CancellationToken.None)));
        Assert.True(db.TableExists("a") && db.TableExists("b"));
        Assert.False(db.TableExists("c") || db.TableExists("d") || db.TableExists("e"));
        Assert.Equal("idle", db.Scalar($"SELECT state FROM pg_stat_activity WHERE pid = {((PostgresSession)engine.Session).Connection.ProcessID}"));
    }

    [RequiresPostgresFact]
    public void Forty_steps_and_their_rollbacks_take_a_few_commands_not_one_each()
    {
        var db = Postgres();
        for (var i = 1; i <= 40; i++)
        {
            Folder.Sql($"{i}", $"t{i}", $"CREATE TABLE t{i} (id integer);", $"DROP TABLE t{i};");
        }

        var database = PostgresCluster.DatabaseNameOf(db.Value);
        var commands = 0;
        using var listener = new ActivityListener
        {
            // Npgsql traces each command or batch it sends as one activity.
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.namespace"), database))
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        db.Migrate(Folder);
        var applying = Interlocked.Exchange(ref commands, 0);
        db.Rollback(Folder, new DownOptions(V("0")));
        var rollingBack = Interlocked.Exchange(ref commands, 0);

        Assert.InRange(applying, 1, 10);
        Assert.InRange(rollingBack, 1, 10);
        Assert.Empty(db.History(Folder));
    }

    [RequiresPostgresFact]
    public void More_steps_than_one_send_holds_apply_and_roll_back_in_order_around_a_non_transactional_one()
    {
        var db = Postgres();
        for (var i = 1; i <= 130; i++)
        {
            if (i == 70)
            {
                Folder.Sql("70", "outside", "-- transaction: none\nCREATE TABLE t70 (id integer);", "-- transaction: none\nDROP TABLE t70;");
                continue;
            }

            Folder.Sql($"{i}", $"t{i}", $"CREATE TABLE t{i} (id integer);\nINSERT INTO t{i} VALUES ({i});", $"DROP TABLE t{i};");
        }

        var observer = new StepEventLog();
        using (var engine = db.Open(Folder))
        {
            engine.Migrate(new UpOptions(), observer, null, CancellationToken.None);
        }

        var expected = Enumerable.Range(1, 130).SelectMany(i => new[] { $"start {i}", $"Succeeded {i}" });
        Assert.Equal(expected, observer.Events);
        Assert.Equal(Enumerable.Range(1, 130).Select(i => $"{i}").Order(StringComparer.Ordinal), Versions(db.History(Folder)).Order(StringComparer.Ordinal));
        Assert.Equal(129, db.Count("SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+$' AND tablename <> 't70'"));

        var rolledBack = db.Rollback(Folder, new DownOptions(V("0")));

        Assert.Equal(Enumerable.Range(1, 130).Reverse().Select(i => $"{i}"), Versions(rolledBack));
        Assert.Empty(db.History(Folder));
        Assert.Equal(0, db.Count("SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+$'"));
    }

    [RequiresPostgresFact]
    public void Each_step_sent_together_is_timed_on_its_own_by_the_server()
    {
        var db = Postgres();
        Folder.Table("1", "a").Sql("2", "slow", "SELECT pg_sleep(0.3);").Table("3", "c");

        var results = db.Migrate(Folder);

        Assert.Equal(3, results.Count);
        Assert.True(results[1].Duration >= TimeSpan.FromSeconds(0.3), $"the slow step took {results[1].Duration}");
        Assert.True(results[0].StartedAtUtc <= results[1].StartedAtUtc, "the steps started in order");
        Assert.True(results[2].StartedAtUtc >= results[1].StartedAtUtc + TimeSpan.FromSeconds(0.3), "the step after the slow one started after it");
        Assert.True(db.Count("SELECT execution_ms FROM schema_migrations WHERE version = '2'") >= 300);
    }

    [RequiresPostgresFact]
    public void Canceling_steps_sent_together_stops_at_the_one_running_and_reports_those_before_it()
    {
        var db = Postgres();
        for (var i = 1; i <= 20; i++)
        {
            Folder.Sql($"{i}", $"t{i}", $"CREATE TABLE t{i} (id integer);\nSELECT pg_sleep(0.1);");
        }

        // The cancel lands 0.5 s into the 2 s of steps sent together, however long connecting and planning took under
        // load (a clock started before Migrate once ran out before the first step), from a thread of its own.
        using var cancel = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(0.5));
            cancel.Cancel();
        });
        var observer = new StepEventLog(firstStepStarting: canceller.Start);
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, cancel.Token));
        canceller.Join();

        Assert.Equal(MigrationErrorKind.Canceled, error.Kind);
        var applied = Versions(engine.Session.History.Read(CancellationToken.None)).Select(int.Parse).Order().ToList();
        Assert.InRange(applied.Count, 0, 19);
        Assert.Equal(Enumerable.Range(1, applied.Count), applied);
        Assert.Equal(applied.Select(i => $"Succeeded {i}").Append($"Failed {applied.Count + 1}"), observer.Events.Where(e => !e.StartsWith("start", StringComparison.Ordinal)));
        Assert.Equal(applied.Count, db.Count("SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+$'"));
    }
}
