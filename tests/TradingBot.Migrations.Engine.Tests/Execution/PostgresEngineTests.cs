using System.Diagnostics;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>What only PostgreSQL has: the advisory lock, CREATE INDEX CONCURRENTLY, schemas, dollar quotes, error positions.</summary>
public sealed class PostgresEngineTests : EngineTestBase
{
    private static readonly long DefaultLockKey = PostgresAdvisoryLock.KeyFor(HistoryTableName.DefaultTable);

    private TestDatabase Postgres() => Database(SqlDialect.PostgreSql);

    // Advisory locks belong to a database; other tests hold the same key in their own databases at the same time.
    private static string LockHolders(long key) =>
        $"FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = {key} " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private static bool AdvisoryLockHeld(TestDatabase db, long key) => db.Count("SELECT count(*) " + LockHolders(key)) > 0;

    private static void TakeLock(NpgsqlConnection connection, long key)
    {
        using var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection);
        take.Parameters.Add(new NpgsqlParameter { Value = key });
        take.ExecuteNonQuery();
    }

    private static NpgsqlConnection Connect(TestDatabase db, string applicationName)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Value) { ApplicationName = applicationName, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    [RequiresPostgresFact]
    public void Create_index_concurrently_in_a_transaction_none_migration_runs_while_the_run_holds_its_advisory_lock()
    {
        var db = Postgres();
        Folder.Sql("1", "t", "CREATE TABLE t (id integer, x integer);\nINSERT INTO t SELECT g, g % 10 FROM generate_series(1, 5000) g;", "DROP TABLE t;")
            .Sql("2", "t_x", "-- transaction: none\nCREATE INDEX CONCURRENTLY t_x ON t (x);", "-- transaction: none\nDROP INDEX CONCURRENTLY t_x;");
        var observer = new StepWatcher(step => step.Migration.Version.Text == "2" ? AdvisoryLockHeld(db, DefaultLockKey) : null);

        using (var engine = db.Open(Folder))
        {
            var results = engine.Migrate(new UpOptions(), observer, null, CancellationToken.None);
            Assert.All(results, r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        }

        Assert.True(observer.Seen, "the lock was held while the non-transactional step started");
        Assert.True((bool)db.Scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass")!);
        Assert.False(AdvisoryLockHeld(db, DefaultLockKey)); // released at the end of the run
        Assert.Equal(["1", "2"], Versions(db.History(Folder)));

        db.Rollback(Folder, new DownOptions(Count: 1));
        Assert.True((bool)db.Scalar("SELECT to_regclass('t_x') IS NULL")!);
    }

    [RequiresPostgresFact]
    public void The_run_lock_outlives_an_idle_in_transaction_session_timeout_set_on_the_database()
    {
        var db = Postgres();
        db.Execute($"ALTER DATABASE \"{db.Scalar("SELECT current_database()")}\" SET idle_in_transaction_session_timeout = '1s'");
        Folder.Sql("1", "a", "CREATE TABLE a (id integer);", "DROP TABLE a;")
            .Sql("2", "slow", "SELECT pg_sleep(2.5);", "SELECT 1;")
            .Sql("3", "b", "-- transaction: none\nCREATE TABLE b (id integer);", "DROP TABLE b;");
        var observer = new StepWatcher(step => step.Migration.Version.Text == "3" ? AdvisoryLockHeld(db, DefaultLockKey) : null);

        using (var engine = db.Open(Folder))
        {
            var results = engine.Migrate(new UpOptions(), observer, null, CancellationToken.None);
            Assert.All(results, r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        }

        Assert.True(observer.Seen, "the lock was still held after the lock's transaction sat idle for longer than the timeout");
        Assert.False(AdvisoryLockHeld(db, DefaultLockKey));
    }

    [RequiresPostgresFact]
    public void A_held_lock_makes_the_run_time_out_naming_the_holder_and_changing_nothing()
    {
        var db = Postgres();
        FourTables();
        using var holder = Connect(db, "tbm-lock-holder");
        TakeLock(holder, DefaultLockKey);

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder, configure: s => s with { LockTimeout = TimeSpan.FromSeconds(1) }));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.Equal("MigrationLockTimeout", error.ErrorId);
        Assert.Equal(MigrationErrorKind.LockTimeout, error.Kind);
        Assert.Contains($"pid {holder.ProcessID}", error.Message, StringComparison.Ordinal);
        Assert.Contains("application 'tbm-lock-holder'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("schema_migrations"));
        Assert.False(db.TableExists("a"));
    }

    [RequiresPostgresFact]
    public void A_second_engine_waiting_on_a_running_one_times_out_naming_it()
    {
        var db = Postgres();
        Folder.Sql("1", "slow", "SELECT pg_sleep(3);");
        using var firstStarted = new ManualResetEventSlim();
        var observer = new StepWatcher(_ =>
        {
            firstStarted.Set();
            return null;
        });
        Exception? firstError = null;
        var first = new Thread(() =>
        {
            try
            {
                using var engine = db.Open(Folder);
                engine.Migrate(new UpOptions(), observer, null, CancellationToken.None);
            }
            catch (Exception e)
            {
                firstError = e;
            }
        });
        first.Start();
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(20)));
        var holderPid = (int)db.Scalar("SELECT pid " + LockHolders(DefaultLockKey))!;

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder, configure: s => s with { LockTimeout = TimeSpan.FromMilliseconds(500) }));

        first.Join();
        Assert.Null(firstError);
        Assert.Equal("MigrationLockTimeout", error.ErrorId);
        Assert.Contains($"pid {holderPid}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"application '{PostgresConnectionString.ApplicationName}'", error.Message, StringComparison.Ordinal);
        Assert.Single(db.History(Folder));
    }

    [RequiresPostgresFact]
    public void The_lock_timeout_names_the_holder_in_this_database_not_one_holding_the_same_key_elsewhere()
    {
        var elsewhere = Postgres();
        var db = Postgres();
        Folder.Table("1", "a");
        using var otherHolder = Connect(elsewhere, "tbm-other-database");
        TakeLock(otherHolder, DefaultLockKey);
        using var holder = Connect(db, "tbm-this-database");
        TakeLock(holder, DefaultLockKey);

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder, configure: s => s with { LockTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("MigrationLockTimeout", error.ErrorId);
        Assert.Contains($"pid {holder.ProcessID}, application 'tbm-this-database'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tbm-other-database", error.Message, StringComparison.Ordinal);
    }

    [RequiresPostgresFact]
    public void The_same_history_table_in_another_database_does_not_block_a_run()
    {
        var elsewhere = Postgres();
        var db = Postgres();
        Folder.Table("1", "a");
        using var otherHolder = Connect(elsewhere, "tbm-other-database");
        TakeLock(otherHolder, DefaultLockKey);

        Assert.Single(db.Migrate(Folder, configure: s => s with { LockTimeout = TimeSpan.FromSeconds(5) }));
    }

    [RequiresPostgresFact]
    public void A_failing_statement_that_contains_the_password_is_reported_without_it()
    {
        var name = PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("redact"));
        var url = PostgresCluster.UrlFor(name) + "?options=-c%20synchronous_commit%3Doff";
        Folder.Sql("1", "leak", $"CREATE TABLE t (id integer);\nSELECT '{PostgresCluster.Password}'::integer;\n");
        var settings = new EngineSettings(DatabaseTargetParser.Parse(url, Folder.Path), Folder.Path);
        using var engine = MigrationEngine.Open(settings, CancellationToken.None);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(2, error.Line);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, engine.Target.ToString(), StringComparison.Ordinal);
    }

    [RequiresPostgresFact]
    public void A_history_table_in_its_own_schema_is_created_and_used()
    {
        var db = Postgres();
        Folder.Table("1", "a").Table("2", "b");
        EngineSettings InOps(EngineSettings s) => s with { HistoryTable = new HistoryTableName("migration_log", "ops") };

        Assert.Equal(2, db.Migrate(Folder, configure: InOps).Count);

        Assert.True(db.TableExists("migration_log", "ops"));
        Assert.False(db.TableExists("schema_migrations"));
        Assert.False(db.TableExists("migration_log"));
        Assert.Equal(2, db.Count("SELECT count(*) FROM ops.migration_log"));
        Assert.Empty(db.Migrate(Folder, configure: InOps));
        Assert.Equal(["2"], Versions(db.Rollback(Folder, new DownOptions(Count: 1), InOps)));
        Assert.Equal(["1"], Versions(db.History(Folder, InOps)));
    }

    [RequiresPostgresFact]
    public void Dollar_quoted_bodies_with_semicolons_run_as_one_statement()
    {
        var db = Postgres();
        Folder.Sql("1", "functions", """
            CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL);
            CREATE FUNCTION bump(counter text) RETURNS integer LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO counters (name, n) VALUES (counter, 1)
                    ON CONFLICT (name) DO UPDATE SET n = counters.n + 1;
                RETURN (SELECT n FROM counters WHERE name = counter);
            END;
            $$;
            DO $body$
            BEGIN
                PERFORM bump('a'); PERFORM bump('a');
                RAISE NOTICE 'semicolons; inside; a DO block';
            END
            $body$;
            """);

        db.Migrate(Folder);

        Assert.Equal(2, db.Scalar("SELECT n FROM counters WHERE name = 'a'"));
    }

    [RequiresPostgresFact]
    public void The_error_line_is_the_line_of_the_failing_token_inside_a_multi_line_statement()
    {
        var db = Postgres();
        Folder.Sql("1", "select", "CREATE TABLE t (id integer);\nCREATE VIEW v AS\nSELECT\n    id,\n    no_such_column\nFROM t;\n");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(5, error.Line);
        Assert.Contains("column \"no_such_column\" does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("t"));
    }

    [RequiresPostgresFact]
    public void A_lock_timeout_directive_applies_to_the_migration_only()
    {
        var db = Postgres();
        Folder.Sql("1", "t", "CREATE TABLE t (id integer);")
            .Sql("2", "alter", "-- lock_timeout: 200ms\nALTER TABLE t ADD COLUMN x integer;");
        db.Migrate(Folder, new UpOptions(V("1")));
        using var blocker = Connect(db, "tbm-blocker");
        using var transaction = blocker.BeginTransaction();
        using (var command = new NpgsqlCommand("LOCK TABLE t IN ACCESS SHARE MODE", blocker, transaction))
        {
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Contains("55P03", error.Message, StringComparison.Ordinal);
        transaction.Rollback();
        Assert.Equal(["2"], Versions(db.Migrate(Folder)));
    }

    [RequiresPostgresFact]
    public void Steps_run_with_the_dead_client_check_set_on_the_runs_connection()
    {
        var db = Postgres();
        Folder.Sql("1", "seen", "CREATE TABLE seen AS SELECT current_setting('client_connection_check_interval') AS check_interval;");

        db.Migrate(Folder);

        Assert.Equal("1s", db.Scalar("SELECT check_interval FROM seen"));
    }

    [RequiresPostgresFact]
    public void With_nothing_to_do_a_run_does_not_wait_for_the_lock_another_run_holds()
    {
        var db = Postgres();
        FourTables();
        db.Migrate(Folder);
        using var holder = Connect(db, "tbm-lock-holder");
        TakeLock(holder, DefaultLockKey);

        Assert.Empty(db.Migrate(Folder, configure: s => s with { LockTimeout = TimeSpan.FromMilliseconds(200) }));
        Assert.Empty(db.Rollback(Folder, new DownOptions(V("1.0.4")), s => s with { LockTimeout = TimeSpan.FromMilliseconds(200) }));
        Assert.Equal(4, db.History(Folder).Count);
    }

    [RequiresPostgresFact]
    public void A_pending_migration_or_a_Failed_row_makes_the_run_wait_for_the_lock_another_run_holds()
    {
        var db = Postgres();
        Folder.Table("1", "a").Sql("2", "outside", "-- transaction: none\nCREATE TABLE b (id integer);\n");
        db.Migrate(Folder, new UpOptions(V("1")));
        using var holder = Connect(db, "tbm-lock-holder");
        TakeLock(holder, DefaultLockKey);
        EngineSettings Briefly(EngineSettings s) => s with { LockTimeout = TimeSpan.FromMilliseconds(200) };

        Assert.Equal("MigrationLockTimeout", Assert.Throws<MigrationException>(() => db.Migrate(Folder, configure: Briefly)).ErrorId);

        // What another run's non-transactional migration looks like while it runs: a Failed row naming its statement.
        db.Execute("INSERT INTO schema_migrations (version, name, checksum, applied_by, execution_ms, state, failed_statement) " +
                   "VALUES ('2', 'outside', 'x', 'another run', 0, 'Failed', 'CREATE TABLE b (id integer)')");
        Assert.Equal("MigrationLockTimeout", Assert.Throws<MigrationException>(() => db.Migrate(Folder, configure: Briefly)).ErrorId);
        Assert.Equal("MigrationLockTimeout", Assert.Throws<MigrationException>(() => db.Rollback(Folder, new DownOptions(V("0")), Briefly)).ErrorId);
        Assert.False(db.TableExists("b"));
    }

    /// <summary>Runs a probe when each step starts; remembers whether it ever answered true.</summary>
    private sealed class StepWatcher(Func<PlannedStep, bool?> probe) : IMigrationObserver
    {
        public bool Seen { get; private set; }

        public bool WantsStatementTiming => false;

        public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
        {
        }

        public void StepStarting(PlannedStep step, int index, int count) => Seen |= probe(step) == true;

        public void StepFinished(StepResult result)
        {
        }
    }
}
