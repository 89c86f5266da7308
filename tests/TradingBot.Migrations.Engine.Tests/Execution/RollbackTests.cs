namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>Rolling back: downs newest first, each with the removal of its history row; refused ranges change nothing.</summary>
public sealed class RollbackTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_to_version_runs_downs_newest_first(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1.0.0", "log", "CREATE TABLE undo_log (version text, seq integer);", "DROP TABLE undo_log;");
        foreach (var v in new[] { "1.0.1", "1.0.2", "1.0.3", "1.0.4" })
        {
            Folder.Sql(v, "step", "SELECT 1;", $"INSERT INTO undo_log (version, seq) SELECT '{v}', count(*) FROM undo_log;");
        }

        db.Migrate(Folder);

        var results = db.Rollback(Folder, new DownOptions(V("1.0.1")));

        Assert.Equal(["1.0.4", "1.0.3", "1.0.2"], Versions(results));
        Assert.All(results, r => Assert.Equal(MigrationDirection.Down, r.Step.Direction));
        Assert.Equal("1.0.4,1.0.3,1.0.2", db.Scalar(dialect == SqlDialect.PostgreSql
            ? "SELECT string_agg(version, ',' ORDER BY seq) FROM undo_log"
            : "SELECT group_concat(version, ',') FROM (SELECT version FROM undo_log ORDER BY seq)"));
        Assert.Equal(["1.0.0", "1.0.1"], Versions(db.History(Folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_to_version_0_undoes_everything(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(Folder);

        Assert.Equal(["1.0.4", "1.0.3", "1.0.2", "1.0.1"], Versions(db.Rollback(Folder, new DownOptions(V("0")))));
        Assert.Empty(db.History(Folder));
        Assert.False(db.TableExists("a") || db.TableExists("b") || db.TableExists("c") || db.TableExists("d"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_by_count_undoes_the_newest_ones(SqlDialect dialect)
    {
        var db = Database(dialect);
        FourTables();
        db.Migrate(Folder);

        Assert.Equal(["1.0.4"], Versions(db.Rollback(Folder, new DownOptions(Count: 1))));
        Assert.Equal(["1.0.1", "1.0.2", "1.0.3"], Versions(db.History(Folder)));
        Assert.False(db.TableExists("d"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Rollback_is_refused_before_anything_runs_when_one_migration_in_the_range_lacks_a_down(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Sql("1.0.2", "no_down", "CREATE TABLE b (id integer);").Table("1.0.3", "c");
        db.Migrate(Folder);

        var error = Assert.Throws<MigrationException>(() => db.Rollback(Folder, new DownOptions(V("0"))));

        Assert.Equal("MissingDownScript", error.ErrorId);
        Assert.True(db.TableExists("c")); // the newest, which has a down, was not run either
        Assert.Equal(["1.0.1", "1.0.2", "1.0.3"], Versions(db.History(Folder)));
    }
}
