using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;
using Xunit;

namespace TradingBot.Migrations.Engine.Tests.Adoption;

/// <summary>dbmate's files converted into this module's layout, or refused with the file and line (real dbmate runs in the Pester test).</summary>
public sealed class DbmateSourceTests
{
    [Fact]
    public void Converts_up_and_down_blocks_into_files_of_this_module()
    {
        using var folder = new MigrationFolder()
            .File("20240101120000_create_trades.sql", "-- migrate:up\nCREATE TABLE trades (id int);\n\n-- migrate:down\nDROP TABLE trades;\n")
            .File("README.md", "not a migration");

        var migration = Assert.Single(new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Equal("20240101120000", migration.Version.Text);
        Assert.Equal("create_trades", migration.Name);
        Assert.Equal(("20240101120000__create_trades.up.sql", "CREATE TABLE trades (id int);\n"), (migration.Up.FileName, migration.Up.Text));
        Assert.Equal(("20240101120000__create_trades.down.sql", "DROP TABLE trades;\n"), (migration.Down!.FileName, migration.Down.Text));
    }

    [Fact]
    public void Transaction_false_becomes_this_modules_directive_in_the_block_that_has_it()
    {
        using var folder = new MigrationFolder()
            .File("1_index.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX i;\n");

        var migration = Assert.Single(new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Equal("-- transaction: none\nCREATE INDEX CONCURRENTLY i ON t (c);\n", migration.Up.Text);
        Assert.Equal("DROP INDEX i;\n", migration.Down!.Text);
    }

    [Fact]
    public void An_empty_down_block_gives_no_down_file()
    {
        using var folder = new MigrationFolder().File("1_seed.sql", "-- migrate:up\nINSERT INTO t VALUES (1);\n-- migrate:down\n-- irreversible\n");

        Assert.Null(Assert.Single(new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql)).Down);
    }

    [Theory]
    [InlineData("SELECT 1;\n-- migrate:up\nSELECT 2;\n-- migrate:down\n", 1, "before '-- migrate:up'")]
    [InlineData("-- migrate:up\nSELECT 2;\n", 1, "no '-- migrate:down'")]
    [InlineData("\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", 6, "second '-- migrate:down'")]
    [InlineData("-- migrate:up\nSELECT 1;\n-- migrate:down\n\n-- migrate:up\nSELECT 2;\n-- migrate:down\n", 5, "second '-- migrate:up'")]
    [InlineData("-- x\n-- migrate:up\n-- only a comment\n-- migrate:down\nSELECT 1;\n", 2, "up block holds no statement")]
    [InlineData("-- migrate:up strict:true\nSELECT 1;\n-- migrate:down\n", 1, "option 'strict:true'")]
    [InlineData("-- migrate:up\n-- lock_timeout: 5s\nSELECT 1;\n-- migrate:down\n", 2, "reads as this module's directive")]
    [InlineData("-- migrate:up transaction:false\n-- transaction: maybe\nSELECT 1;\n-- migrate:down\n", 2, "reads as this module's directive")]
    public void Refuses_what_it_cannot_convert_faithfully_with_file_and_line(string text, int line, string why)
    {
        using var folder = new MigrationFolder().File("20240101120000_bad.sql", text);

        var error = Assert.Throws<MigrationException>(() => new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Equal(MigrationErrors.UnconvertibleMigration, error.Error);
        Assert.Equal(line, error.Line);
        Assert.Equal(folder.PathOf("20240101120000_bad.sql"), error.FilePath);
        Assert.Contains($"20240101120000_bad.sql:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_versions_dbmate_orders_by_name_that_this_module_orders_otherwise()
    {
        using var folder = new MigrationFolder()
            .File("10_b.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
            .File("9_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");

        var error = Assert.Throws<MigrationException>(() => new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Contains("dbmate runs it after", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("9_a.sql", error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_two_versions_that_are_one_number()
    {
        using var folder = new MigrationFolder()
            .File("01_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
            .File("1_b.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");

        var error = Assert.Throws<MigrationException>(() => new DbmateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Contains("same number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_its_own_error()
    {
        var error = Assert.Throws<MigrationException>(() => new DbmateSource().ReadFolder("/nonexistent/db/migrations", SqlDialect.Sqlite));

        Assert.Equal(MigrationErrors.SourceFolderNotFound, error.Error);
    }
}
