namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// Scripts are read when a run needs them, not all at start-up: what runs must still be what the run
/// checked, and a broken down script stops only the rollback that needs it, before anything runs.
/// </summary>
public sealed class LazyScriptTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void An_up_script_edited_after_the_run_read_the_folder_is_refused_and_nothing_runs(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Table("1.0.2", "b");
        using var engine = db.Open(Folder);

        File.WriteAllText(Folder.PathOf("1.0.2__create_b.up.sql"), "CREATE TABLE sneaky (id integer);");

        var error = Assert.Throws<MigrationException>(() => engine.Migrate(new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None));
        Assert.Equal("MigrationFileChanged", error.ErrorId);
        Assert.Equal(Folder.PathOf("1.0.2__create_b.up.sql"), error.FilePath);
        Assert.Empty(db.History(Folder));
        Assert.False(db.TableExists("a") || db.TableExists("sneaky"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_down_script_that_is_not_UTF8_does_not_stop_applying_but_stops_the_rollback_before_anything_runs(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a").Table("1.0.2", "b").Bytes("1.0.1__create_a.down.sql", [0x44, 0x52, 0xC3, 0x28, 0x3B]);

        db.Migrate(Folder);
        var error = Assert.Throws<MigrationException>(() => db.Rollback(Folder, new DownOptions(V("0"))));

        Assert.Equal("FileNotUtf8", error.ErrorId);
        Assert.Equal(["1.0.1", "1.0.2"], Versions(db.History(Folder)));
        Assert.True(db.TableExists("a") && db.TableExists("b"));
        Assert.Equal(["1.0.2"], Versions(db.Rollback(Folder, new DownOptions(V("1.0.1")))));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_run_over_cached_fingerprints_still_sees_an_edited_applied_migration(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.1", "a");
        db.Migrate(Folder);
        File.SetLastWriteTimeUtc(Folder.PathOf("1.0.1__create_a.up.sql"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        using (var engine = db.Open(Folder))
        {
            Assert.Equal(MigrationState.Applied, Assert.Single(engine.GetStatus(CancellationToken.None)).State);
        }

        var size = new FileInfo(Folder.PathOf("1.0.1__create_a.up.sql")).Length;
        File.WriteAllText(Folder.PathOf("1.0.1__create_a.up.sql"), File.ReadAllText(Folder.PathOf("1.0.1__create_a.up.sql")).Replace('a', 'z'));
        Assert.Equal(size, new FileInfo(Folder.PathOf("1.0.1__create_a.up.sql")).Length);

        using var again = db.Open(Folder);
        Assert.Equal(MigrationState.Modified, Assert.Single(again.GetStatus(CancellationToken.None)).State);
    }
}
