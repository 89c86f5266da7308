using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;
using Xunit;

namespace TradingBot.Migrations.Engine.Tests.Adoption;

/// <summary>golang-migrate's, goose's and Flyway's files and history rows, read as each tool reads them (the Pester fixtures put them in real databases).</summary>
public sealed class OtherSourcesTests
{
    private static readonly DateTime Noon = new(2024, 1, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Golang_migrate_pairs_up_and_down_files_and_leaves_a_file_with_its_own_transaction_outside_one()
    {
        using var folder = new MigrationFolder()
            .File("000001_create_trades.up.sql", "CREATE TABLE trades (id int);\n")
            .File("000001_create_trades.down.sql", "DROP TABLE trades;\n")
            .File("000002_index.up.sql", "CREATE INDEX CONCURRENTLY i ON trades (id);\n")
            .File("000003_own_tx.up.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");

        var migrations = new GolangMigrateSource().ReadFolder(folder.Path, SqlDialect.PostgreSql);

        Assert.Equal(["000001", "000002", "000003"], migrations.Select(m => m.Version.Text));
        Assert.Equal("000001__create_trades.up.sql", migrations[0].Up.FileName);
        Assert.Equal("DROP TABLE trades;\n", migrations[0].Down!.Text);
        Assert.StartsWith("-- transaction: none\nCREATE INDEX CONCURRENTLY", migrations[1].Up.Text, StringComparison.Ordinal);
        Assert.StartsWith("-- transaction: none\nBEGIN;", migrations[2].Up.Text, StringComparison.Ordinal);
        Assert.Null(migrations[1].Down);
    }

    [Fact]
    public void Golang_migrate_current_version_means_every_version_up_to_it_and_dirty_means_it_failed()
    {
        using var folder = new MigrationFolder()
            .File("1_a.up.sql", "SELECT 1;").File("2_b.up.sql", "SELECT 2;").File("3_c.up.sql", "SELECT 3;");
        var source = new GolangMigrateSource();
        var migrations = source.ReadFolder(folder.Path, SqlDialect.Sqlite);

        var clean = source.ReadHistory([[2L, false]], migrations);
        var dirty = source.ReadHistory([[2L, true]], migrations);

        Assert.Equal([("1", false), ("2", false)], clean.Select(r => (r.Version, r.Failed)));
        Assert.Equal([("1", false), ("2", true)], dirty.Select(r => (r.Version, r.Failed)));
        Assert.Contains("dirty", dirty[1].Note, StringComparison.Ordinal);
        Assert.Empty(source.ReadHistory([[-1L, false]], migrations));
    }

    [Fact]
    public void Golang_migrate_refuses_a_down_without_its_up()
    {
        using var folder = new MigrationFolder().File("7_x.down.sql", "SELECT 1;");

        var error = Assert.Throws<MigrationException>(() => new GolangMigrateSource().ReadFolder(folder.Path, SqlDialect.Sqlite));

        Assert.Equal(MigrationErrors.UnconvertibleMigration, error.Error);
        Assert.EndsWith("7_x.down.sql", error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Goose_sections_statement_blocks_and_no_transaction_convert()
    {
        using var folder = new MigrationFolder().File("20240101120000_fn.sql", """
            -- +goose Up
            -- +goose NO TRANSACTION
            -- +goose StatementBegin
            CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
            -- +goose StatementEnd

            -- +goose Down
            DROP FUNCTION f();
            """);

        var migration = Assert.Single(new GooseSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Equal("-- transaction: none\nCREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n", migration.Up.Text);
        Assert.Equal("-- transaction: none\nDROP FUNCTION f();\n", migration.Down!.Text);
    }

    [Theory]
    [InlineData("-- +goose Up\n-- +goose ENVSUB ON\nSELECT ${X};\n", 2, "ENVSUB")]
    [InlineData("SELECT 1;\n-- +goose Up\nSELECT 1;\n", 1, "before '-- +goose Up'")]
    [InlineData("-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n", 2, "no StatementEnd")]
    public void Goose_refuses_what_it_cannot_convert_with_its_line(string text, int line, string why)
    {
        using var folder = new MigrationFolder().File("1_x.sql", text);

        var error = Assert.Throws<MigrationException>(() => new GooseSource().ReadFolder(folder.Path, SqlDialect.PostgreSql));

        Assert.Equal(line, error.Line);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Goose_refuses_a_go_migration()
    {
        using var folder = new MigrationFolder().File("2_seed.go", "package migrations");

        Assert.Contains("Go migration", Assert.Throws<MigrationException>(() => new GooseSource().ReadFolder(folder.Path, SqlDialect.Sqlite)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Goose_newest_row_of_a_version_decides_and_version_zero_is_the_tables_own()
    {
        var rows = new List<object?[]>
        {
            new object?[] { 0L, true, Noon },
            new object?[] { 1L, true, Noon },
            new object?[] { 2L, true, Noon },
            new object?[] { 2L, false, Noon.AddHours(1) },
            new object?[] { 3L, 1L, "2024-01-02 13:00:00" },
        };

        var applied = new GooseSource().ReadHistory(rows, []);

        Assert.Equal([("1", Noon), ("3", Noon.AddHours(1))], applied.Select(r => (r.Version, r.AppliedAtUtc!.Value)));
    }

    [Fact]
    public void Flyway_versions_undo_files_and_script_settings_convert()
    {
        using var folder = new MigrationFolder()
            .File("V1__Create_trades.sql", "CREATE TABLE trades (id int);\n")
            .File("U1__Create_trades.sql", "DROP TABLE trades;\n")
            .File("V1_1__Index trades.sql", "CREATE INDEX CONCURRENTLY i ON trades (id);\n")
            .File("V1_1__Index trades.sql.conf", "# Flyway script config\nexecuteInTransaction=false\n");

        var migrations = new FlywaySource().ReadFolder(folder.Path, SqlDialect.PostgreSql);

        Assert.Equal([("1", "Create_trades"), ("1.1", "Index_trades")], migrations.Select(m => (m.Version.Text, m.Name)));
        Assert.Equal("DROP TABLE trades;\n", migrations[0].Down!.Text);
        Assert.Equal("1.1__Index_trades.up.sql", migrations[1].Up.FileName);
        Assert.StartsWith("-- transaction: none\n", migrations[1].Up.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("R__Views.sql", "SELECT 1;", "repeatable")]
    [InlineData("V2__Seed.sql", "INSERT INTO t VALUES ('${owner}');", "placeholder ${owner}")]
    public void Flyway_refuses_repeatables_and_placeholders(string file, string text, string why)
    {
        using var folder = new MigrationFolder().File(file, text);

        Assert.Contains(why, Assert.Throws<MigrationException>(() => new FlywaySource().ReadFolder(folder.Path, SqlDialect.Sqlite)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flyway_newest_row_decides_failed_rows_fail_undone_versions_are_not_applied()
    {
        // installed_rank, version, type, success, installed_on (UTC), script
        var rows = new List<object?[]>
        {
            new object?[] { 1L, "1", "SQL", true, Noon, "V1__a.sql" },
            new object?[] { 2L, "2", "SQL", true, Noon, "V2__b.sql" },
            new object?[] { 3L, "2", "UNDO_SQL", true, Noon, "U2__b.sql" },
            new object?[] { 4L, "3", "SQL", false, Noon, "V3__c.sql" },
        };

        var history = new FlywaySource().ReadHistory(rows, []);

        Assert.Equal([("1", false), ("3", true)], history.Select(r => (r.Version, r.Failed)));
        Assert.Equal(Noon, history[0].AppliedAtUtc);
    }

    [Fact]
    public void Flyway_refuses_a_repeatable_migrations_row()
    {
        var error = Assert.Throws<MigrationException>(() => new FlywaySource().ReadHistory([[5L, null, "SQL", true, Noon, "R__x.sql"]], []));

        Assert.Equal(MigrationErrors.UnconvertibleMigration, error.Error);
        Assert.Contains("repeatable", error.Message, StringComparison.Ordinal);
        Assert.Contains("installed_rank 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flyway_baseline_row_makes_the_versions_up_to_it_applied_at_its_time_as_Flyway_never_runs_them()
    {
        using var folder = new MigrationFolder()
            .File("V1__a.sql", "SELECT 1;").File("V2__b.sql", "SELECT 2;").File("V3__c.sql", "SELECT 3;").File("V4__d.sql", "SELECT 4;");
        var source = new FlywaySource();
        var rows = new List<object?[]>
        {
            new object?[] { 1L, "2", "BASELINE", true, Noon, "<< Flyway Baseline >>" },
            new object?[] { 2L, "3", "SQL", true, Noon.AddDays(1), "V3__c.sql" },
        };

        var history = source.ReadHistory(rows, source.ReadFolder(folder.Path, SqlDialect.Sqlite));

        Assert.Equal([("1", Noon), ("2", Noon), ("3", Noon.AddDays(1))], history.Select(r => (r.Version, r.AppliedAtUtc!.Value)));
        Assert.DoesNotContain(history, r => r.Failed);
    }
}
