using System.Security.Cryptography;
using System.Text;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Catalog;

public sealed class MigrationCatalogTests : IDisposable
{
    private readonly MigrationFolder folder = new();

    public void Dispose() => folder.Dispose();

    private MigrationCatalog Load() => MigrationCatalog.Load(folder.Path);

    private MigrationException LoadFails() => Assert.Throws<MigrationException>(Load);

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    [Fact]
    public void Files_following_the_convention_become_migrations_ordered_by_version()
    {
        folder.Sql("1.0.10", "add-orders", "CREATE TABLE orders (id int);", "DROP TABLE orders;")
            .Sql("1.0.9", "add_users", "CREATE TABLE users (id int);", "DROP TABLE users;")
            .Sql("1.0.2", "init", "CREATE TABLE a (id int);")
            .File("README.md", "not a migration");

        var catalog = Load();

        Assert.Equal(["1.0.2", "1.0.9", "1.0.10"], catalog.Migrations.Select(m => m.Version.Text));
        Assert.Equal(["init", "add_users", "add-orders"], catalog.Migrations.Select(m => m.Name));
        Assert.All(catalog.Migrations, m => Assert.Equal(MigrationKind.Sql, m.Kind));
        Assert.False(catalog.Migrations[0].HasDown(SqlDialect.Sqlite));
        Assert.True(catalog.Migrations[1].HasDown(SqlDialect.Sqlite));
        Assert.Same(catalog.Migrations[2], catalog.Find(MigrationVersion.Parse("1.0.10")));
    }

    [Fact]
    public void A_per_dialect_file_is_used_instead_of_the_plain_one_on_its_database_only()
    {
        folder.Sql("1", "ids", "CREATE TABLE t (id integer);", "DROP TABLE t;")
            .File("1__ids.up.postgres.sql", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY);")
            .File("1__ids.down.sqlite.sql", "DROP TABLE IF EXISTS t;");

        var migration = Assert.Single(Load().Migrations);

        Assert.Equal("1__ids.up.postgres.sql", migration.UpFor(SqlDialect.PostgreSql)!.FileName);
        Assert.Equal("1__ids.up.sql", migration.UpFor(SqlDialect.Sqlite)!.FileName);
        Assert.Equal("1__ids.down.sql", migration.DownFor(SqlDialect.PostgreSql)!.FileName);
        Assert.Equal("1__ids.down.sqlite.sql", migration.DownFor(SqlDialect.Sqlite)!.FileName);
        Assert.NotEqual(migration.ChecksumFor(SqlDialect.PostgreSql), migration.ChecksumFor(SqlDialect.Sqlite));
    }

    [Fact]
    public void A_migration_may_exist_only_as_dialect_files()
    {
        folder.File("1__pg_only.up.postgresql.sql", "CREATE EXTENSION IF NOT EXISTS pgcrypto;");

        var migration = Assert.Single(Load().Migrations);

        Assert.NotNull(migration.UpFor(SqlDialect.PostgreSql));
        Assert.Null(migration.UpFor(SqlDialect.Sqlite));
    }

    [Fact]
    public void A_PowerShell_migration_with_Up_and_Down_blocks_is_recognised_by_a_textual_guess_without_a_parser()
    {
        folder.File("2__backfill.ps1", "@{\n    Up = {\n        param($Migration)\n    }\n    Down = {\n        param($Migration)\n    }\n}\n");

        var migration = Assert.Single(Load().Migrations);

        Assert.Equal(MigrationKind.PowerShell, migration.Kind);
        Assert.True(migration.HasDown(SqlDialect.PostgreSql));
        Assert.Equal("2__backfill.ps1", migration.UpFor(SqlDialect.Sqlite)!.FileName);
    }

    [Fact]
    public void A_PowerShell_migration_without_a_Down_block_has_no_down()
    {
        folder.File("2__backfill.ps1", "@{\n    Up = { param($Migration) }\n}\n");

        Assert.False(Assert.Single(Load().Migrations).HasDown(SqlDialect.Sqlite));
    }

    [Fact]
    public void A_PowerShell_migration_without_an_Up_block_is_refused()
    {
        folder.File("2__backfill.ps1", "# nothing here\n");

        var error = LoadFails();

        Assert.Equal("PowerShellMigrationWithoutUp", error.ErrorId);
        Assert.Contains("2__backfill.ps1 defines no Up block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_with_both_a_PowerShell_script_and_SQL_files_is_refused()
    {
        folder.File("2__backfill.ps1", "@{\n Up = { }\n}\n").Sql("2", "backfill", "SELECT 1;");

        var error = LoadFails();

        Assert.Equal("MixedMigrationKinds", error.ErrorId);
        Assert.Contains("Keep one kind per version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transaction_none_directive_marks_a_script_to_run_outside_a_transaction()
    {
        folder.Sql("1", "index", "-- Build the index without blocking writes.\n-- transaction: none\nCREATE INDEX CONCURRENTLY i ON t (x);")
            .Sql("2", "plain", "-- transaction is mentioned here but not as a directive\nCREATE TABLE u (id int);");

        var migrations = Load().Migrations;

        Assert.False(migrations[0].Up!.Directives.RunsInTransaction);
        Assert.True(migrations[1].Up!.Directives.RunsInTransaction);
    }

    [Fact]
    public void Timeout_directives_are_read_from_the_first_comment_lines()
    {
        folder.Sql("1", "slow", "-- lock_timeout: 5s\n-- statement_timeout: 10min\nALTER TABLE t ADD COLUMN x int;\n-- transaction: none\n");

        var directives = Assert.Single(Load().Migrations).Up!.Directives;

        Assert.Equal("5s", directives.LockTimeout);
        Assert.Equal("10min", directives.StatementTimeout);
        Assert.True(directives.RunsInTransaction); // a directive after the first statement is only a comment
    }

    [Fact]
    public void A_bad_transaction_directive_value_is_an_error_naming_the_file_and_line()
    {
        folder.Sql("1", "index", "-- An index.\n\n-- transaction: maybe\nCREATE INDEX i ON t (x);");

        var error = LoadFails();

        Assert.Equal("InvalidDirective", error.ErrorId);
        Assert.Equal(3, error.Line);
        Assert.EndsWith("1__index.up.sql", error.FilePath, StringComparison.Ordinal);
        Assert.Contains("1__index.up.sql:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("write '-- transaction: none'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_timeout_directive_value_is_an_error_that_shows_a_valid_duration()
    {
        folder.Sql("1", "slow", "-- lock_timeout: soon\nSELECT 1;");

        var error = LoadFails();

        Assert.Equal("InvalidDirective", error.ErrorId);
        Assert.Equal(1, error.Line);
        Assert.Contains("'-- lock_timeout: 5s'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksums_are_equal_for_LF_CRLF_and_BOM_variants_of_one_script_and_are_the_SHA256_of_the_LF_text()
    {
        const string lf = "-- users\nCREATE TABLE users (\n    id int\n);\n";
        var crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);
        folder.File("1__lf.up.sql", lf)
            .File("2__crlf.up.sql", crlf)
            .Bytes("3__bom.up.sql", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(lf)])
            .Bytes("4__bom_crlf.up.sql", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(crlf)])
            .File("5__mixed.up.sql", "-- users\r\nCREATE TABLE users (\n    id int\r\n);\n");

        var checksums = Load().Migrations.Select(m => m.Up!.Checksum).ToList();

        Assert.Equal(5, checksums.Count);
        Assert.All(checksums, c => Assert.Equal(Sha256(lf), c));
        Assert.All(Load().Migrations, m => Assert.Equal(lf, m.Up!.Text));
    }

    [Fact]
    public void A_UTF16_file_with_a_byte_order_mark_is_read_and_checksums_like_its_UTF8_twin()
    {
        const string text = "INSERT INTO t (name) VALUES ('Zürich €');\n";
        folder.Bytes("1__utf16le.up.sql", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)])
            .Bytes("2__utf16be.up.sql", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)])
            .File("3__utf8.up.sql", text);

        var migrations = Load().Migrations;

        Assert.All(migrations, m => Assert.Equal(text, m.Up!.Text));
        Assert.All(migrations, m => Assert.Equal(Sha256(text), m.Up!.Checksum));
    }

    [Fact]
    public void A_file_with_NUL_bytes_is_refused()
    {
        folder.Bytes("1__binary.up.sql", [.. Encoding.UTF8.GetBytes("SELECT 1;"), 0, .. Encoding.UTF8.GetBytes("SELECT 2;")]);

        var error = LoadFails();

        Assert.Equal("FileHasNulBytes", error.ErrorId);
        Assert.Contains("Save it as UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UTF16_without_a_byte_order_mark_is_refused_as_NUL_bytes()
    {
        folder.Bytes("1__utf16.up.sql", Encoding.Unicode.GetBytes("SELECT 1;"));

        Assert.Equal("FileHasNulBytes", LoadFails().ErrorId);
    }

    [Fact]
    public void A_file_that_is_not_valid_UTF8_is_refused()
    {
        folder.Bytes("1__latin1.up.sql", [.. Encoding.ASCII.GetBytes("SELECT 'Z"), 0xFC, .. Encoding.ASCII.GetBytes("rich';")]);

        var error = LoadFails();

        Assert.Equal("FileNotUtf8", error.ErrorId);
        Assert.Contains("is not valid UTF-8. Save it as UTF-8", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("1__latin1.up.sql", error.FilePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.x__add.up.sql", "'1.x' is not a version: use dotted numbers such as 1.0.2")]
    [InlineData("1..2__add.up.sql", "'1..2' is not a version")]
    [InlineData("20261399093000__add.up.sql", "not a valid date and time")]
    public void An_unparsable_version_is_refused_with_a_message_that_shows_a_valid_one(string fileName, string expected)
    {
        folder.File(fileName, "SELECT 1;");

        var error = LoadFails();

        Assert.Equal("InvalidMigrationVersion", error.ErrorId);
        Assert.Equal(MigrationErrorKind.InvalidMigrationFile, error.Kind);
        Assert.StartsWith($"'{fileName}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(fileName, error.FilePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0__add users.up.sql")]
    [InlineData("create_users.up.sql")]
    [InlineData("1.0_add.up.sql")]
    [InlineData("1.0__add.sql")]
    [InlineData("1.0__add.upp.sql")]
    [InlineData("1.0__add.up.mysql.sql")]
    [InlineData("1.0__-add.up.sql")]
    public void A_file_name_off_the_convention_is_refused_with_the_convention_spelled_out(string fileName)
    {
        folder.File(fileName, "SELECT 1;");

        var error = LoadFails();

        Assert.Equal("InvalidMigrationFileName", error.ErrorId);
        Assert.Contains($"'{fileName}' does not follow the naming convention", error.Message, StringComparison.Ordinal);
        Assert.Contains("<version>__<name>.up.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_the_same_version_are_refused_naming_both()
    {
        folder.Sql("1.2", "add_users", "SELECT 1;").Sql("1.2", "add_orders", "SELECT 2;");

        var error = LoadFails();

        Assert.Equal("DuplicateMigrationVersion", error.ErrorId);
        Assert.Contains("Two migrations share version 1.2", error.Message, StringComparison.Ordinal);
        Assert.Contains("add_users", error.Message, StringComparison.Ordinal);
        Assert.Contains("add_orders", error.Message, StringComparison.Ordinal);
        Assert.Contains("Give one of them a new version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_equal_by_value_but_spelled_differently_are_duplicates()
    {
        folder.Sql("1.2", "add_users", "SELECT 1;").Sql("1.2.0", "add_users", "SELECT 2;");

        Assert.Equal("DuplicateMigrationVersion", LoadFails().ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("-- only a comment\n/* and another */\n")]
    [InlineData(";\n;")]
    public void An_empty_script_is_listed_but_refused_when_it_would_run(string content)
    {
        folder.Sql("1", "nothing", "SELECT 1;").File("1__nothing.down.sql", content);
        var status = Engine.Status.MigrationStatusCalculator.Compute(Load(), [new Engine.History.HistoryRecord("1", "nothing",
            Load().Migrations[0].ChecksumFor(SqlDialect.Sqlite)!, DateTime.UtcNow, "me", 1, Engine.History.HistoryState.Applied, null)], SqlDialect.Sqlite);

        var error = Assert.Throws<MigrationException>(() => Engine.Execution.RunnableScripts.Checked(Engine.Planning.MigrationPlanner.PlanDown(status, SqlDialect.Sqlite, new Engine.Planning.DownOptions(Count: 1)), SqlDialect.Sqlite));

        Assert.Equal("EmptyMigrationScript", error.ErrorId);
        Assert.Contains("1__nothing.down.sql has no SQL statement", error.Message, StringComparison.Ordinal);
        Assert.Contains("SELECT 1;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_down_without_an_up_is_refused()
    {
        folder.File("3__orphan.down.sql", "DROP TABLE t;");

        var error = LoadFails();

        Assert.Equal("DownWithoutUp", error.ErrorId);
        Assert.Contains("3__orphan.down.sql has no matching up script. Add 3__orphan.up.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_refused_with_advice_to_pass_Path()
    {
        var missing = Path.Combine(folder.Path, "nope");

        var error = Assert.Throws<MigrationException>(() => MigrationCatalog.Load(missing));

        Assert.Equal("MigrationsFolderNotFound", error.ErrorId);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("-Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_folder_is_an_empty_catalog()
    {
        Assert.Empty(Load().Migrations);
    }

    [Fact]
    public void A_large_folder_is_checksummed_in_parallel_and_still_reports_the_first_bad_file_by_name()
    {
        for (var i = 1; i <= 400; i++)
        {
            folder.Sql($"1.{i:D3}", "step", $"SELECT {i};", $"SELECT -{i};");
        }

        folder.Bytes("1.300__step.up.sql", [0xC3, 0x28]).Bytes("1.050__step.up.sql", [0x00, 0x41]);

        var error = LoadFails();

        Assert.Equal("FileHasNulBytes", error.ErrorId);
        Assert.Equal(folder.PathOf("1.050__step.up.sql"), error.FilePath);
        File.Delete(folder.PathOf("1.050__step.up.sql"));
        File.Delete(folder.PathOf("1.050__step.down.sql"));
        Assert.Equal(folder.PathOf("1.300__step.up.sql"), LoadFails().FilePath);
        File.WriteAllText(folder.PathOf("1.300__step.up.sql"), "SELECT 300;");
        var catalog = Load();
        Assert.Equal(399, catalog.Migrations.Count);
        Assert.Equal(Sha256("SELECT 300;"), catalog.Find(MigrationVersion.Parse("1.300"))!.ChecksumFor(SqlDialect.PostgreSql));
    }
}
