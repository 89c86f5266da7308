using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Catalog;

public sealed class MigrationScaffolderTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 24, 9, 30, 0, DateTimeKind.Utc);
    private readonly MigrationFolder folder = new();

    public void Dispose() => folder.Dispose();

    private IReadOnlyList<string> Create(string name, string? version = null, MigrationKind kind = MigrationKind.Sql) =>
        MigrationScaffolder.Create(folder.Path, name, version, kind, Now);

    [Fact]
    public void The_first_migration_is_1_0_0_and_writes_an_up_and_a_down()
    {
        var files = Create("add-users");

        Assert.Equal([folder.PathOf("1.0.0__add-users.up.sql"), folder.PathOf("1.0.0__add-users.down.sql")], files);
        Assert.All(files, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public void The_next_version_is_the_next_patch_of_the_highest_dotted_version()
    {
        folder.Sql("1.0.9", "a", "SELECT 1;").Sql("1.0.10", "b", "SELECT 1;").Sql("1.0.2", "c", "SELECT 1;");

        Assert.StartsWith(folder.PathOf("1.0.11__next."), Create("next")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_of_timestamps_gets_the_current_UTC_timestamp()
    {
        folder.Sql("20261101000000", "a", "SELECT 1;");

        Assert.StartsWith(folder.PathOf("20261124093000__next."), Create("next")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_PowerShell_migration_is_one_ps1_file_the_catalog_reads_as_having_Up_and_Down()
    {
        var file = Assert.Single(Create("backfill", "2.0", MigrationKind.PowerShell));

        Assert.Equal(folder.PathOf("2.0__backfill.ps1"), file);
        var migration = Assert.Single(MigrationCatalog.Load(folder.Path).Migrations);
        Assert.Equal(MigrationKind.PowerShell, migration.Kind);
        Assert.True(migration.HasDown(Sql.SqlDialect.Sqlite));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("sub/dir")]
    [InlineData("sub\\dir")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("")]
    public void Names_that_are_not_words_joined_by_dash_or_underscore_are_refused_and_nothing_is_written(string name)
    {
        var error = Assert.Throws<MigrationException>(() => Create(name));

        Assert.Equal("InvalidMigrationName", error.ErrorId);
        Assert.Contains("such as add-user-email", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.0")]
    public void A_version_that_already_exists_is_refused(string version)
    {
        folder.Sql("1.0", "a", "SELECT 1;");

        var error = Assert.Throws<MigrationException>(() => Create("b", version));

        Assert.Equal("MigrationVersionExists", error.ErrorId);
        Assert.Single(Directory.EnumerateFiles(folder.Path));
    }

    [Fact]
    public void An_invalid_version_is_refused()
    {
        var error = Assert.Throws<MigrationException>(() => Create("b", "1..2"));

        Assert.Equal("InvalidMigrationVersion", error.ErrorId);
        Assert.Contains("-Version: '1..2' is not a version", error.Message, StringComparison.Ordinal);
    }
}
