using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.FrontDoor;

public sealed class MigrationUseCasesTests
{
    [Fact]
    public void Safety_check_of_files_alone_lints_every_pending_migration_and_renders_only_the_reports_asked_for()
    {
        using var folder = new MigrationFolder()
            .Table("1.0.0", "trades")
            .Sql("1.0.1", "drop_price", "ALTER TABLE trades DROP COLUMN price;\n", "ALTER TABLE trades ADD COLUMN price numeric;\n");

        var result = MigrationUseCases.CheckSafety(
            SafetyCheckRequest.OfFiles(folder.Path, null, SqlDialect.PostgreSql) with { All = true, RenderJson = true }, CancellationToken.None);

        Assert.Null(result.Rollback);
        Assert.Contains(result.Findings, f => f.Rule == "drop-column" && f.Version == "1.0.1");
        Assert.Contains(result.Failing, f => f.Rule == "drop-column");
        Assert.Null(result.JUnitXml);
        Assert.Contains("drop-column", result.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Safety_check_refuses_a_bad_rollback_version_as_an_invalid_argument()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.CheckSafety(
            SafetyCheckRequest.OfFiles(folder.Path, null, SqlDialect.Sqlite) with { RollbackTo = "one" }, CancellationToken.None));

        Assert.Equal("InvalidTargetVersion", error.ErrorId);
        Assert.StartsWith("-RollbackTo: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_only_reads_even_when_given_settings_that_may_write()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");
        using var database = TestDatabase.Create(SqlDialect.Sqlite);

        var report = MigrationUseCases.Status(database.Settings(folder), CancellationToken.None);

        Assert.Equal(SqlDialect.Sqlite, report.Dialect);
        Assert.Single(report.Entries);
        Assert.False(File.Exists(database.SqliteFile));
    }

    [Fact]
    public void Migrate_asks_for_its_observer_only_once_the_folder_is_read_and_the_database_open()
    {
        using var folder = new MigrationFolder();
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        var observed = false;

        Assert.Throws<MigrationException>(() => MigrationUseCases.Migrate(new EngineSettings(database.Target, folder.PathOf("missing")), new UpOptions(),
            () => { observed = true; return NullMigrationObserver.Instance; }, null, CancellationToken.None));

        Assert.False(observed);
    }

    [Fact]
    public void Preview_returns_the_plan_and_the_script_a_run_would_send_and_changes_nothing()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");
        using var database = TestDatabase.Create(SqlDialect.Sqlite);

        var preview = MigrationUseCases.PreviewMigrate(database.Settings(folder), new UpOptions(), CancellationToken.None);

        Assert.Single(preview.Plan.Steps);
        Assert.Contains("CREATE TABLE trades", preview.Script, StringComparison.Ordinal);
        Assert.False(File.Exists(database.SqliteFile));
    }
}
