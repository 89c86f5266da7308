namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>The history table: its rows, its name, and never creating anything when only looking.</summary>
public sealed class HistoryTableTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void History_row_holds_version_name_LF_checksum_UTC_time_user_and_duration(SqlDialect dialect)
    {
        var db = Database(dialect);
        const string lf = "-- users\nCREATE TABLE users (\n    id integer PRIMARY KEY\n);\n";
        Folder.File("1.0.1__add-users.up.sql", lf.Replace("\n", "\r\n", StringComparison.Ordinal));
        var before = DateTime.UtcNow.AddSeconds(-2);

        db.Migrate(Folder);

        var after = DateTime.UtcNow.AddSeconds(2);
        var record = Assert.Single(db.History(Folder));
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
        Folder.Sql("1", "slow", dialect == SqlDialect.PostgreSql
            ? "SELECT pg_sleep(0.3);"
            : "CREATE TABLE slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000) SELECT count(*) AS n FROM c;");

        var result = Assert.Single(db.Migrate(Folder));

        var recorded = Assert.Single(db.History(Folder)).ExecutionMilliseconds;
        Assert.True(recorded >= Math.Min(250, result.Duration.TotalMilliseconds * 0.5),
            $"execution_ms {recorded} for a step that took {result.Duration.TotalMilliseconds:0} ms");
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void History_applied_at_is_stored_as_UTC(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a");

        db.Migrate(Folder);

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
    public void A_custom_history_table_name_is_created_and_used(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a");
        EngineSettings Custom(EngineSettings s) => s with { HistoryTable = new HistoryTableName("deploy_log") };

        db.Migrate(Folder, configure: Custom);

        Assert.True(db.TableExists("deploy_log"));
        Assert.False(db.TableExists("schema_migrations"));
        Assert.Equal(1, db.Count("SELECT count(*) FROM deploy_log WHERE version = '1'"));
        Assert.Empty(db.Migrate(Folder, configure: Custom));
        Assert.Single(db.History(Folder, Custom));
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
        Folder.Table("1", "a");

        using (var engine = db.Open(Folder, s => s with { ReadOnly = true }))
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
        Folder.Table("1", "a").Table("2", "b");
        db.Migrate(Folder, new UpOptions(V("1")));
        var before = File.GetLastWriteTimeUtc(db.SqliteFile!);
        var bytes = File.ReadAllBytes(db.SqliteFile!);

        using (var engine = db.Open(Folder, s => s with { ReadOnly = true }))
        {
            Assert.Equal([MigrationState.Applied, MigrationState.Pending], engine.GetStatus(CancellationToken.None).Select(s => s.State));
        }

        Assert.Equal(before, File.GetLastWriteTimeUtc(db.SqliteFile!));
        Assert.Equal(bytes, File.ReadAllBytes(db.SqliteFile!));
    }
}
