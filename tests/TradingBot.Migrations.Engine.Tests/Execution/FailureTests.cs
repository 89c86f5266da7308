namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>A migration that fails: the error names file, line, statement and database message; what is left behind.</summary>
public sealed class FailureTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_statement_throws_MigrationFailed_naming_file_line_statement_and_the_database_message(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a")
            .Sql("1.0.2", "break", "-- b, then a mistake\nCREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);\nINSERT INTO no_such_table (id) VALUES (1);\n")
            .Table("1.0.3", "c");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(MigrationErrorKind.MigrationFailed, error.Kind);
        Assert.Equal("1.0.2", error.Version);
        Assert.Equal(Folder.PathOf("1.0.2__break.up.sql"), error.FilePath);
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
        Folder.Table("1.0.1", "a")
            .Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);\n")
            .Table("1.0.3", "c");

        Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.True(db.TableExists("a"));
        Assert.False(db.TableExists("b"));
        Assert.False(db.TableExists("c"));
        Assert.Equal(["1.0.1"], Versions(db.History(Folder)));
        using var engine = db.Open(Folder);
        Assert.Equal([MigrationState.Applied, MigrationState.Pending, MigrationState.Pending],
            engine.GetStatus(CancellationToken.None).Select(s => s.State));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failed_migration_can_be_fixed_and_the_next_run_applies_it(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);\n");
        Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Folder.Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);\n");

        Assert.Equal(["1.0.2"], Versions(db.Migrate(Folder)));
        Assert.Equal(1, db.Count("SELECT count(*) FROM b"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_down_is_rolled_back_and_its_history_row_stays(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Sql("1.0.2", "bad_down", "CREATE TABLE b (id integer);", "DROP TABLE b;\nDROP TABLE no_such_table;");
        db.Migrate(Folder);

        var error = Assert.Throws<MigrationException>(() => db.Rollback(Folder, new DownOptions(V("0"))));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.EndsWith("1.0.2__bad_down.down.sql", error.FilePath, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.True(db.TableExists("b"));
        Assert.Equal(["1.0.1", "1.0.2"], Versions(db.History(Folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_non_transactional_migration_runs_and_is_recorded(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1", "outside", "-- transaction: none\nCREATE TABLE n1 (id integer);\nCREATE TABLE n2 (id integer);\n", "-- transaction: none\nDROP TABLE n2;\nDROP TABLE n1;");

        db.Migrate(Folder);

        Assert.True(db.TableExists("n1") && db.TableExists("n2"));
        Assert.Equal(HistoryState.Applied, Assert.Single(db.History(Folder)).State);

        db.Rollback(Folder, new DownOptions(V("0")));
        Assert.False(db.TableExists("n1"));
        Assert.Empty(db.History(Folder));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_non_transactional_migration_leaves_a_Failed_row_naming_the_statement(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a")
            .Sql("1.0.2", "outside", "-- transaction: none\nCREATE TABLE n1 (id integer);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE n2 (id integer);\n")
            .Table("1.0.3", "c");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(3, error.Line);
        Assert.True(db.TableExists("n1")); // ran outside a transaction: not undone
        Assert.False(db.TableExists("n2"));
        Assert.False(db.TableExists("c"));
        var failed = db.History(Folder).Single(r => r.Version == "1.0.2");
        Assert.Equal(HistoryState.Failed, failed.State);
        Assert.Equal("INSERT INTO missing_table VALUES (1)", failed.FailedStatement);
        using var engine = db.Open(Folder);
        Assert.Equal(MigrationState.Failed, engine.GetStatus(CancellationToken.None).Single(s => s.Version == V("1.0.2")).State);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void After_a_Failed_non_transactional_migration_the_next_run_is_refused_and_changes_nothing(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1.0.2", "outside", "-- transaction: none\nINSERT INTO missing_table VALUES (1);\n").Table("1.0.3", "c");
        Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        using (var engine = db.Open(Folder))
        {
            Assert.Equal("FailedMigrationBlocks", Assert.Throws<MigrationException>(() => engine.PlanUp(new UpOptions(), CancellationToken.None)).ErrorId);
        }

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));
        Assert.Equal("FailedMigrationBlocks", error.ErrorId);
        Assert.Contains("INSERT INTO missing_table VALUES (1)", error.Message, StringComparison.Ordinal);
        Assert.False(db.TableExists("c"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void With_statement_timing_on_a_failing_statement_is_reported_the_same_way_and_the_step_rolled_back(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a")
            .Sql("1.0.2", "break", "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);\n\nINSERT INTO no_such_table (id) VALUES (1);\n");
        var observer = new TimingObserver();
        using var engine = db.Open(Folder);

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), observer, null, CancellationToken.None));

        Assert.Equal("MigrationFailed", error.ErrorId);
        Assert.Equal(4, error.Line);
        Assert.Equal("INSERT INTO no_such_table (id) VALUES (1)", error.Statement);
        Assert.Contains("CREATE TABLE b (id integer PRIMARY KEY)", observer.Statements);
        Assert.DoesNotContain("INSERT INTO no_such_table (id) VALUES (1)", observer.Statements);
        Assert.Equal([StepOutcome.Succeeded, StepOutcome.Failed], observer.Outcomes);
        Assert.False(db.TableExists("b"));
        Assert.Equal(["1.0.1"], Versions(db.History(Folder)));
    }

    private sealed class TimingObserver : IMigrationObserver
    {
        public List<string> Statements { get; } = [];

        public List<StepOutcome> Outcomes { get; } = [];

        public bool WantsStatementTiming => true;

        public void StatementExecuted(SqlStatement statement, TimeSpan elapsed) => Statements.Add(statement.Text);

        public void StepStarting(PlannedStep step, int index, int count)
        {
        }

        public void StepFinished(StepResult result) => Outcomes.Add(result.Outcome);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_transactional_migration_that_commits_part_way_is_refused_before_anything_runs(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Sql("1.0.2", "commits", "CREATE TABLE b (id integer PRIMARY KEY);\nCOMMIT;\nINSERT INTO b (id) VALUES (1);\n");

        var error = Assert.Throws<MigrationException>(() => db.Migrate(Folder));

        Assert.Equal("TransactionControlInMigration", error.ErrorId);
        Assert.Equal("1.0.2", error.Version);
        Assert.Equal(2, error.Line);
        Assert.False(db.TableExists("a"));
        Assert.False(db.TableExists("b"));
        Assert.Empty(db.History(Folder));
    }
}
