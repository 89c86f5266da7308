using System.Collections;
using System.Security.Cryptography;
using System.Text;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>The engine end to end (MigrationEngine.Open → Migrate / Rollback) on a real database of each dialect.</summary>
public sealed class MigratorTests : IDisposable
{
    private readonly MigrationFolder folder = new();
    private readonly List<TestDatabase> databases = [];

    public void Dispose()
    {
        folder.Dispose();
        databases.ForEach(d => d.Dispose());
    }

    private TestDatabase Database(SqlDialect dialect)
    {
        var database = TestDatabase.Create(dialect);
        databases.Add(database);
        return database;
    }

    private static MigrationVersion V(string text) => MigrationVersion.Parse(text);

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static IEnumerable<string> Versions(IEnumerable<StepResult> results) => results.Select(r => r.Step.Migration.Version.Text);

    private static IEnumerable<string> Versions(IEnumerable<HistoryRecord> history) => history.Select(r => r.Version);

    private void FourTables() => folder.Table("1.0.1", "a").Table("1.0.2", "b").Table("1.0.3", "c").Table("1.0.4", "d");

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_applies_every_pending_migration_in_version_order(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.10", "ten").Table("1.0.9", "nine").Table("1.0.2", "two");

        var results = db.Migrate(folder);

        Assert.Equal(["1.0.2", "1.0.9", "1.0.10"], Versions(results));
        Assert.All(results, r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        Assert.All(results, r => Assert.Equal(MigrationDirection.Up, r.Step.Direction));
        Assert.True(db.TableExists("two") && db.TableExists("nine") && db.TableExists("ten"));
        Assert.Equal(["1.0.2", "1.0.9", "1.0.10"], Versions(db.History(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_a_second_time_finds_nothing_to_do(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(folder);

        Assert.Empty(db.Migrate(folder));
        Assert.Equal(4, db.History(folder).Count);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void History_row_holds_version_name_LF_checksum_UTC_time_user_and_duration(SqlDialect dialect)
    {
        var db = Database(dialect);
        const string lf = "-- users\nCREATE TABLE users (\n    id integer PRIMARY KEY\n);\n";
        folder.File("1.0.1__add-users.up.sql", lf.Replace("\n", "\r\n", StringComparison.Ordinal));
        var before = DateTime.UtcNow.AddSeconds(-2);

        db.Migrate(folder);

        var after = DateTime.UtcNow.AddSeconds(2);
        var record = Assert.Single(db.History(folder));
        Assert.Equal("1.0.1", record.Version);
        Assert.Equal("add-users", record.Name);
        Assert.Equal(Sha256(lf), record.Checksum);
        Assert.Equal(DateTimeKind.Utc, record.AppliedAtUtc.Kind);
        Assert.InRange(record.AppliedAtUtc, before, after);
        Assert.Equal(TestDatabase.AppliedBy, record.AppliedBy);
        Assert.InRange(record.ExecutionMilliseconds, 0, 60_000);
        Assert.Equal(HistoryState.Applied, record.State);
        Assert.Null(record.FailedStatement);
        Assert.Equal(1, db.Count("SELECT count(*) FROM schema_migrations WHERE version = '1.0.1' AND name = 'add-users'"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void History_row_execution_time_includes_the_script_itself(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Sql("1", "slow", dialect == SqlDialect.PostgreSql
            ? "SELECT pg_sleep(0.3);"
            : "CREATE TABLE slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) AS n FROM c;");

        var result = Assert.Single(db.Migrate(folder));

        var recorded = Assert.Single(db.History(folder)).ExecutionMilliseconds;
        Assert.True(recorded >= Math.Min(250, result.Duration.TotalMilliseconds * 0.5),
            $"execution_ms {recorded} for a step that took {result.Duration.TotalMilliseconds:0} ms");
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void History_applied_at_is_stored_as_UTC(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a");

        db.Migrate(folder);

        if (dialect == SqlDialect.PostgreSql)
        {
            Assert.Equal("timestamp with time zone", db.Scalar(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'applied_at'"));
        }
        else
        {
            Assert.EndsWith("Z", (string)db.Scalar("SELECT applied_at FROM schema_migrations")!, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_statement_throws_MigrationFailed_naming_file_line_statement_and_the_database_message(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a")
            .Sql("1.0.2", "break", "-- b, then a mistake\nCREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);\nINSERT INTO no_such_table (id) VALUES (1);\n")
            .Table("1.0.3", "c");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(MigrationErrorKind.MigrationFailed, error.Kind);
        Assert.Equal("1.0.2", error.Version);
        Assert.Equal(folder.PathOf("1.0.2__break.up.sql"), error.FilePath);
        Assert.Equal(4, error.Line);
        Assert.Equal("INSERT INTO no_such_table (id) VALUES (1)", error.Statement);
        Assert.Contains("1.0.2__break.up.sql at line 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("Statement: INSERT INTO no_such_table (id) VALUES (1)", error.Message, StringComparison.Ordinal);
        Assert.Contains(dialect == SqlDialect.PostgreSql ? "42P01: relation \"no_such_table\" does not exist" : "no such table: no_such_table",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_migration_is_rolled_back_entirely_and_earlier_ones_stay_applied(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a")
            .Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);\n")
            .Table("1.0.3", "c");

        Assert.Throws<MigrationException>(() => db.Migrate(folder));

        Assert.True(db.TableExists("a"));
        Assert.False(db.TableExists("b"));
        Assert.False(db.TableExists("c"));
        Assert.Equal(["1.0.1"], Versions(db.History(folder)));
        using var engine = db.Open(folder);
        Assert.Equal([MigrationState.Applied, MigrationState.Pending, MigrationState.Pending],
            engine.GetStatus(CancellationToken.None).Select(s => s.State));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failed_migration_can_be_fixed_and_the_next_run_applies_it(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a").Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);\n");
        Assert.Throws<MigrationException>(() => db.Migrate(folder));

        folder.Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);\n");

        Assert.Equal(["1.0.2"], Versions(db.Migrate(folder)));
        Assert.Equal(1, db.Count("SELECT count(*) FROM b"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_to_a_target_version_stops_there(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();

        Assert.Equal(["1.0.1", "1.0.2"], Versions(db.Migrate(folder, new UpOptions(V("1.0.2")))));
        Assert.False(db.TableExists("c"));
        Assert.Equal(["1.0.3", "1.0.4"], Versions(db.Migrate(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_to_an_unknown_target_version_changes_nothing(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();

        var error = Assert.Throws<MigrationException>(() => db.Migrate(folder, new UpOptions(V("9.9"))));

        Assert.Equal("UnknownTargetVersion", error.ErrorId);
        Assert.False(db.TableExists("a"));
        Assert.Empty(db.History(folder));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_to_version_runs_downs_newest_first(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Sql("1.0.0", "log", "CREATE TABLE undo_log (version text, seq integer);", "DROP TABLE undo_log;");
        foreach (var v in new[] { "1.0.1", "1.0.2", "1.0.3", "1.0.4" })
        {
            folder.Sql(v, "step", "SELECT 1;", $"INSERT INTO undo_log (version, seq) SELECT '{v}', count(*) FROM undo_log;");
        }

        db.Migrate(folder);

        var results = db.Rollback(folder, new DownOptions(V("1.0.1")));

        Assert.Equal(["1.0.4", "1.0.3", "1.0.2"], Versions(results));
        Assert.All(results, r => Assert.Equal(MigrationDirection.Down, r.Step.Direction));
        Assert.Equal("1.0.4,1.0.3,1.0.2", db.Scalar(dialect == SqlDialect.PostgreSql
            ? "SELECT string_agg(version, ',' ORDER BY seq) FROM undo_log"
            : "SELECT group_concat(version, ',') FROM (SELECT version FROM undo_log ORDER BY seq)"));
        Assert.Equal(["1.0.0", "1.0.1"], Versions(db.History(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_to_version_0_undoes_everything(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(folder);

        Assert.Equal(["1.0.4", "1.0.3", "1.0.2", "1.0.1"], Versions(db.Rollback(folder, new DownOptions(V("0")))));
        Assert.Empty(db.History(folder));
        Assert.False(db.TableExists("a") || db.TableExists("b") || db.TableExists("c") || db.TableExists("d"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_by_count_undoes_the_newest_ones(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(folder);

        Assert.Equal(["1.0.4"], Versions(db.Rollback(folder, new DownOptions(Count: 1))));
        Assert.Equal(["1.0.1", "1.0.2", "1.0.3"], Versions(db.History(folder)));
        Assert.False(db.TableExists("d"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_is_refused_before_anything_runs_when_one_migration_in_the_range_lacks_a_down(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a").Sql("1.0.2", "no_down", "CREATE TABLE b (id integer);").Table("1.0.3", "c");
        db.Migrate(folder);

        var error = Assert.Throws<MigrationException>(() => db.Rollback(folder, new DownOptions(V("0"))));

        Assert.Equal("MissingDownScript", error.ErrorId);
        Assert.True(db.TableExists("c")); // the newest, which has a down, was not run either
        Assert.Equal(["1.0.1", "1.0.2", "1.0.3"], Versions(db.History(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_down_is_rolled_back_and_its_history_row_stays(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a").Sql("1.0.2", "bad_down", "CREATE TABLE b (id integer);", "DROP TABLE b;\nDROP TABLE no_such_table;");
        db.Migrate(folder);

        var error = Assert.Throws<MigrationException>(() => db.Rollback(folder, new DownOptions(V("0"))));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.EndsWith("1.0.2__bad_down.down.sql", error.FilePath, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.True(db.TableExists("b"));
        Assert.Equal(["1.0.1", "1.0.2"], Versions(db.History(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_non_transactional_migration_runs_and_is_recorded(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Sql("1", "outside", "-- transaction: none\nCREATE TABLE n1 (id integer);\nCREATE TABLE n2 (id integer);\n", "-- transaction: none\nDROP TABLE n2;\nDROP TABLE n1;");

        db.Migrate(folder);

        Assert.True(db.TableExists("n1") && db.TableExists("n2"));
        Assert.Equal(HistoryState.Applied, Assert.Single(db.History(folder)).State);

        db.Rollback(folder, new DownOptions(V("0")));
        Assert.False(db.TableExists("n1"));
        Assert.Empty(db.History(folder));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_non_transactional_migration_leaves_a_Failed_row_naming_the_statement(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1.0.1", "a")
            .Sql("1.0.2", "outside", "-- transaction: none\nCREATE TABLE n1 (id integer);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE n2 (id integer);\n")
            .Table("1.0.3", "c");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(3, error.Line);
        Assert.True(db.TableExists("n1")); // ran outside a transaction: not undone
        Assert.False(db.TableExists("n2"));
        Assert.False(db.TableExists("c"));
        var failed = db.History(folder).Single(r => r.Version == "1.0.2");
        Assert.Equal(HistoryState.Failed, failed.State);
        Assert.Equal("INSERT INTO missing_table VALUES (1)", failed.FailedStatement);
        using var engine = db.Open(folder);
        Assert.Equal(MigrationState.Failed, engine.GetStatus(CancellationToken.None).Single(s => s.Version == V("1.0.2")).State);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void After_a_Failed_non_transactional_migration_the_next_run_is_refused_and_changes_nothing(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Sql("1.0.2", "outside", "-- transaction: none\nINSERT INTO missing_table VALUES (1);\n").Table("1.0.3", "c");
        Assert.Throws<MigrationException>(() => db.Migrate(folder));

        using (var engine = db.Open(folder))
        {
            Assert.Equal("FailedMigrationBlocks", Assert.Throws<MigrationException>(() => engine.PlanUp(new UpOptions(), CancellationToken.None)).ErrorId);
        }

        var error = Assert.Throws<MigrationException>(() => db.Migrate(folder));
        Assert.Equal("FailedMigrationBlocks", error.ErrorId);
        Assert.Contains("INSERT INTO missing_table VALUES (1)", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("c"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Semicolons_in_strings_and_comments_do_not_split_statements(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Sql("1", "tricky", """
            -- a comment; with a semicolon
            CREATE TABLE notes (id integer PRIMARY KEY, body text);
            /* block comment; also; here */
            INSERT INTO notes (id, body) VALUES (1, 'a;b; c'), (2, 'it''s; quoted');
            INSERT INTO notes (id, body) VALUES (3, '-- not a comment;') -- trailing; comment
            ;
            """);

        db.Migrate(folder);

        Assert.Equal(3, db.Count("SELECT count(*) FROM notes"));
        Assert.Equal("a;b; c", db.Scalar("SELECT body FROM notes WHERE id = 1"));
        Assert.Equal("it's; quoted", db.Scalar("SELECT body FROM notes WHERE id = 2"));
        Assert.Equal("-- not a comment;", db.Scalar("SELECT body FROM notes WHERE id = 3"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_Modified_migration_blocks_the_run_unless_allowed(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a");
        db.Migrate(folder);
        folder.Sql("1", "create_a", "CREATE TABLE a (id integer PRIMARY KEY, extra integer);").Table("2", "b");

        Assert.Equal("ModifiedMigrationBlocks", Assert.Throws<MigrationException>(() => db.Migrate(folder)).ErrorId);
        Assert.False(db.TableExists("b"));

        Assert.Equal(["2"], Versions(db.Migrate(folder, new UpOptions(AllowModified: true))));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void An_out_of_order_migration_blocks_the_run_unless_allowed(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a").Table("3", "c");
        db.Migrate(folder);
        folder.Table("2", "b");

        Assert.Equal("OutOfOrderMigrationBlocks", Assert.Throws<MigrationException>(() => db.Migrate(folder)).ErrorId);
        Assert.False(db.TableExists("b"));

        Assert.Equal(["2"], Versions(db.Migrate(folder, new UpOptions(AllowOutOfOrder: true))));
        Assert.True(db.TableExists("b"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_custom_history_table_name_is_created_and_used(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a");
        EngineSettings Custom(EngineSettings s) => s with { HistoryTable = new HistoryTableName("deploy_log") };

        db.Migrate(folder, configure: Custom);

        Assert.True(db.TableExists("deploy_log"));
        Assert.False(db.TableExists("schema_migrations"));
        Assert.Equal(1, db.Count("SELECT count(*) FROM deploy_log WHERE version = '1'"));
        Assert.Empty(db.Migrate(folder, configure: Custom));
        Assert.Single(db.History(folder, Custom));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Status_and_planning_never_create_the_history_table(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a");

        using (var engine = db.Open(folder))
        {
            Assert.Equal(MigrationState.Pending, Assert.Single(engine.GetStatus(CancellationToken.None)).State);
            Assert.Single(engine.PlanUp(new UpOptions(), CancellationToken.None).Steps);
            Assert.NotEmpty(engine.RenderScript(engine.PlanUp(new UpOptions(), CancellationToken.None)));
        }

        Assert.False(db.TableExists("schema_migrations"));
        Assert.False(db.TableExists("a"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_runs_its_SQL_with_parameters_inside_the_migration_transaction(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a").File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n  Down = { param($Migration) }\n}\n");
        var runner = new SqlRunner(context =>
        {
            context.Execute("INSERT INTO a (id) VALUES (@id)", new Hashtable { ["id"] = 42 });
            Assert.Equal(1L, Convert.ToInt64(context.Scalar("SELECT count(*) FROM a WHERE id = @id", new Hashtable { ["id"] = 42 }), System.Globalization.CultureInfo.InvariantCulture));
        });

        var results = db.Migrate(folder, configure: s => s with { PowerShellRunner = runner });

        Assert.Equal(["1", "2"], Versions(results));
        Assert.Equal(42L, Convert.ToInt64(db.Scalar("SELECT id FROM a"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(MigrationKind.PowerShell, db.History(folder).Select(r => r.Version).Contains("2") ? MigrationKind.PowerShell : MigrationKind.Sql);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_that_throws_is_rolled_back_and_not_recorded(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.Table("1", "a").File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n}\n");
        var runner = new SqlRunner(context =>
        {
            context.Execute("INSERT INTO a (id) VALUES (7)");
            throw new InvalidOperationException("script failed");
        });

        Assert.Throws<InvalidOperationException>(() => db.Migrate(folder, configure: s => s with { PowerShellRunner = runner }));

        Assert.Equal(0, db.Count("SELECT count(*) FROM a"));
        Assert.Equal(["1"], Versions(db.History(folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_without_a_PowerShell_host_is_refused(SqlDialect dialect)
    {
        var db = Database(dialect);
        folder.File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n}\n");

        Assert.Equal("PowerShellHostRequired", Assert.Throws<MigrationException>(() => db.Migrate(folder)).ErrorId);
        Assert.Empty(db.History(folder));
    }

    [Fact]
    public void An_invalid_history_table_name_is_refused()
    {
        foreach (var bad in new[] { "", "1table", "drop table x;--", "a.b", "schema migrations", "\"quoted\"", new string('x', 64) })
        {
            var error = Assert.Throws<MigrationException>(() => new HistoryTableName(bad));
            Assert.Equal("InvalidHistoryTableName", error.ErrorId);
            Assert.Contains("letters, digits and underscores", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("InvalidHistoryTableName", Assert.Throws<MigrationException>(() => new HistoryTableName("ok", "bad-schema")).ErrorId);
    }

    [Fact]
    public void Read_only_status_on_a_SQLite_file_that_does_not_exist_does_not_create_it()
    {
        var db = Database(SqlDialect.Sqlite);
        folder.Table("1", "a");

        using (var engine = db.Open(folder, s => s with { ReadOnly = true }))
        {
            Assert.Equal(MigrationState.Pending, Assert.Single(engine.GetStatus(CancellationToken.None)).State);
            Assert.Throws<InvalidOperationException>(() => engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None));
        }

        Assert.False(File.Exists(db.SqliteFile));
    }

    [Fact]
    public void Read_only_status_on_an_existing_SQLite_file_reads_its_history_and_changes_nothing()
    {
        var db = Database(SqlDialect.Sqlite);
        folder.Table("1", "a").Table("2", "b");
        db.Migrate(folder, new UpOptions(V("1")));
        var before = File.GetLastWriteTimeUtc(db.SqliteFile!);
        var bytes = File.ReadAllBytes(db.SqliteFile!);

        using (var engine = db.Open(folder, s => s with { ReadOnly = true }))
        {
            Assert.Equal([MigrationState.Applied, MigrationState.Pending], engine.GetStatus(CancellationToken.None).Select(s => s.State));
        }

        Assert.Equal(before, File.GetLastWriteTimeUtc(db.SqliteFile!));
        Assert.Equal(bytes, File.ReadAllBytes(db.SqliteFile!));
    }

    [Fact]
    public void A_SQLite_trigger_body_with_semicolons_runs_as_one_statement()
    {
        var db = Database(SqlDialect.Sqlite);
        folder.Sql("1", "trigger", """
            CREATE TABLE t (id integer PRIMARY KEY, n integer);
            CREATE TABLE audit (id integer);
            CREATE TRIGGER t_audit AFTER INSERT ON t
            BEGIN
                INSERT INTO audit (id) VALUES (new.id);
                UPDATE t SET n = 1 WHERE id = new.id;
            END;
            INSERT INTO t (id) VALUES (5);
            """);

        db.Migrate(folder);

        Assert.Equal(5L, db.Scalar("SELECT id FROM audit"));
        Assert.Equal(1L, db.Scalar("SELECT n FROM t"));
    }

    private sealed class SqlRunner(Action<MigrationContext> up) : IPowerShellMigrationRunner
    {
        public void Run(PlannedStep step, MigrationContext context) => up(context);
    }
}
