using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// A transactional step on PostgreSQL is one batch (BEGIN, script, history row, COMMIT): what a failure, a failing
/// COMMIT or a cancel in the middle of it leaves behind, and that the run's connection is clean afterwards.
/// </summary>
public sealed class PostgresStepTests : EngineTestBase
{
    private static readonly long DefaultLockKey = PostgresAdvisoryLock.KeyFor(HistoryTableName.DefaultTable);

    private TestDatabase Postgres() => Database(SqlDialect.PostgreSql);

    private static bool AdvisoryLockHeld(TestDatabase db) => db.Count(
        $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = {DefaultLockKey} " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0;

    // What the server says of the engine's own backend: 'idle' once a failed step was rolled back, not 'idle in transaction (aborted)'.
    private static string BackendState(TestDatabase db, MigrationEngine engine) =>
        (string)db.Scalar($"SELECT state FROM pg_stat_activity WHERE pid = {((PostgresSession)engine.Session).Connection.ProcessID}")!;

    [RequiresPostgresFact]
    public void A_statement_failing_mid_step_leaves_nothing_behind_names_its_line_and_the_connection_stays_usable()
    {
        var db = Postgres();
        Folder.Table("1", "a")
            .Sql("2", "break", "-- lock_timeout: 2s\nCREATE TABLE b (id integer);\nINSERT INTO b VALUES (1);\nINSERT INTO no_such_table\nVALUES (1);\nCREATE TABLE c (id integer);\n");
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal("2", error.Version);
        Assert.Equal(4, error.Line);
        Assert.Equal("INSERT INTO no_such_table\nVALUES (1)", error.Statement);
        Assert.Contains("42P01: relation \"no_such_table\" does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("b"));
        Assert.False(db.TableExists("c"));
        Assert.Equal("idle", BackendState(db, engine));
        Assert.False(AdvisoryLockHeld(db));
        Assert.Equal(["1"], Versions(engine.Session.History.Read(CancellationToken.None)));
        Assert.Equal("0", ((PostgresSession)engine.Session).Connection.ExecuteScalar("SELECT current_setting('lock_timeout')"));
    }

    [RequiresPostgresFact]
    public void A_step_whose_commit_fails_is_a_MigrationFailed_error_and_leaves_nothing_behind()
    {
        var db = Postgres();
        Folder.Sql("1", "deferred", """
            CREATE TABLE parent (id integer PRIMARY KEY);
            CREATE TABLE child (parent_id integer REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
            INSERT INTO child VALUES (1);
            """);
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal("1", error.Version);
        Assert.Contains("23503", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("parent"));
        Assert.Equal("idle", BackendState(db, engine));
        Assert.Empty(engine.Session.History.Read(CancellationToken.None));
        Assert.False(AdvisoryLockHeld(db));
    }

    [RequiresPostgresFact]
    public void Create_index_concurrently_in_a_transactional_migration_is_refused_by_the_server_and_leaves_nothing_behind()
    {
        var db = Postgres();
        Folder.Sql("1", "index", "CREATE TABLE t (id integer);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(2, error.Line);
        Assert.Contains("25001", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("t"));
        Assert.Empty(db.History(Folder));
    }

    [RequiresPostgresFact]
    public void Canceling_a_step_in_flight_rolls_it_back_and_leaves_the_connection_usable()
    {
        var db = Postgres();
        Folder.Table("1", "a").Sql("2", "slow", "CREATE TABLE slow (id integer);\nINSERT INTO slow VALUES (1);\nSELECT pg_sleep(60);\n");
        using var engine = db.Open(Folder);
        using var cancel = new CancellationTokenSource();
        Exception? error = null;
        var run = new Thread(() =>
        {
            try
            {
                engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, cancel.Token);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        run.Start();
        var pid = ((PostgresSession)engine.Session).Connection.ProcessID;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (db.Count($"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid} AND query LIKE 'SELECT pg_sleep(60)%'") == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        cancel.Cancel();
        Assert.True(run.Join(TimeSpan.FromSeconds(30)), "the run ended after the cancel");

        var canceled = Assert.IsType<MigrationException>(error);
        Assert.Equal(MigrationErrorKind.Canceled, canceled.Kind);
        Assert.Equal("MigrationCanceled", canceled.ErrorId);
        Assert.Equal("2", canceled.Version);
        Assert.False(db.TableExists("slow"));
        Assert.Equal("idle", BackendState(db, engine));
        Assert.False(AdvisoryLockHeld(db));
        Assert.Equal(["1"], Versions(engine.Session.History.Read(CancellationToken.None)));
    }

    [RequiresPostgresFact]
    public void Savepoints_and_a_function_body_that_commits_run_inside_the_steps_transaction()
    {
        var db = Postgres();
        Folder.Sql("1", "savepoints", """
            CREATE TABLE s (id integer);
            SAVEPOINT before_rows;
            INSERT INTO s VALUES (1);
            ROLLBACK TO SAVEPOINT before_rows;
            INSERT INTO s VALUES (2);
            RELEASE SAVEPOINT before_rows;
            CREATE PROCEDURE tidy() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM s WHERE id < 0; COMMIT; END $$;
            """);

        Assert.Single(db.Migrate(Folder));

        Assert.Equal(2, db.Scalar("SELECT sum(id)::integer FROM s"));
        Assert.Equal(["1"], Versions(db.History(Folder)));
    }

    [RequiresPostgresFact]
    public void A_BEGIN_in_a_transactional_migration_only_warns_and_a_later_failure_still_rolls_the_whole_step_back()
    {
        var db = Postgres();
        Folder.Sql("1", "begins", "BEGIN;\nCREATE TABLE x (id integer);\nINSERT INTO no_such_table VALUES (1);\n");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(3, error.Line);
        Assert.False(db.TableExists("x"));
        Assert.Empty(db.History(Folder));
    }
}

internal static class NpgsqlConnectionQueries
{
    public static object? ExecuteScalar(this NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
