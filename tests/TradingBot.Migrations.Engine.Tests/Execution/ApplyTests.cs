namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>Applying migrations: order, targets, drift and out-of-order refusals, statement splitting end to end.</summary>
public sealed class ApplyTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_applies_every_pending_migration_in_version_order(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.10", "ten").Table("1.0.9", "nine").Table("1.0.2", "two");

        var results = db.Migrate(Folder);

        Assert.Equal(["1.0.2", "1.0.9", "1.0.10"], Versions(results));
        Assert.All(results, r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        Assert.All(results, r => Assert.Equal(MigrationDirection.Up, r.Step.Direction));
        Assert.True(db.TableExists("two") && db.TableExists("nine") && db.TableExists("ten"));
        Assert.Equal(["1.0.2", "1.0.9", "1.0.10"], Versions(db.History(Folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_a_second_time_finds_nothing_to_do(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(Folder);

        Assert.Empty(db.Migrate(Folder));
        Assert.Equal(4, db.History(Folder).Count);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_to_a_target_version_stops_there(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();

        Assert.Equal(["1.0.1", "1.0.2"], Versions(db.Migrate(Folder, new UpOptions(V("1.0.2")))));
        Assert.False(db.TableExists("c"));
        Assert.Equal(["1.0.3", "1.0.4"], Versions(db.Migrate(Folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Migrate_to_an_unknown_target_version_changes_nothing(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder, new UpOptions(V("9.9"))));

        Assert.Equal("UnknownTargetVersion", error.ErrorId);
        Assert.False(db.TableExists("a"));
        Assert.Empty(db.History(Folder));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_Modified_migration_blocks_the_run_unless_allowed(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a");
        db.Migrate(Folder);
        Folder.Sql("1", "create_a", "CREATE TABLE a (id integer PRIMARY KEY, extra integer);").Table("2", "b");

        Assert.Equal("ModifiedMigrationBlocks", Assert.Throws<MigrationException>(() => db.Migrate(Folder)).ErrorId);
        Assert.False(db.TableExists("b"));

        Assert.Equal(["2"], Versions(db.Migrate(Folder, new UpOptions(AllowModified: true))));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void An_out_of_order_migration_blocks_the_run_unless_allowed(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a").Table("3", "c");
        db.Migrate(Folder);
        Folder.Table("2", "b");

        Assert.Equal("OutOfOrderMigrationBlocks", Assert.Throws<MigrationException>(() => db.Migrate(Folder)).ErrorId);
        Assert.False(db.TableExists("b"));

        Assert.Equal(["2"], Versions(db.Migrate(Folder, new UpOptions(AllowOutOfOrder: true))));
        Assert.True(db.TableExists("b"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Status_and_planning_never_create_the_history_table(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a");

        using (var engine = db.Open(Folder))
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
    public void Semicolons_in_strings_and_comments_do_not_split_statements(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1", "tricky", """
            -- a comment; with a semicolon
            CREATE TABLE notes (id integer PRIMARY KEY, body text);
            /* block comment; also; here */
            INSERT INTO notes (id, body) VALUES (1, 'a;b; c'), (2, 'it''s; quoted');
            INSERT INTO notes (id, body) VALUES (3, '-- not a comment;') -- trailing; comment
            ;
            """);

        db.Migrate(Folder);

        Assert.Equal(3, db.Count("SELECT count(*) FROM notes"));
        Assert.Equal("a;b; c", db.Scalar("SELECT body FROM notes WHERE id = 1"));
        Assert.Equal("it's; quoted", db.Scalar("SELECT body FROM notes WHERE id = 2"));
        Assert.Equal("-- not a comment;", db.Scalar("SELECT body FROM notes WHERE id = 3"));
    }

    [Fact]
    public void A_SQLite_trigger_body_with_semicolons_runs_as_one_statement()
    {
        var db = Database(SqlDialect.Sqlite);
        Folder.Sql("1", "trigger", """
            CREATE TABLE t (id integer PRIMARY KEY, n integer);
            CREATE TABLE audit (id integer);
            CREATE TRIGGER t_audit AFTER INSERT ON t
            BEGIN
                INSERT INTO audit (id) VALUES (new.id);
                UPDATE t SET n = 1 WHERE id = new.id;
            END;
            INSERT INTO t (id) VALUES (5);
            """);

        db.Migrate(Folder);

        Assert.Equal(5L, db.Scalar("SELECT id FROM audit"));
        Assert.Equal(1L, db.Scalar("SELECT n FROM t"));
    }
}
