using TradingBot.Migrations.Engine.Adoption;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Execution;
using TradingBot.Migrations.Engine.Tests.Support;
using Xunit;

namespace TradingBot.Migrations.Engine.Tests.Adoption;

/// <summary>Where the import finds the other tool's table, and what it refuses to touch, on both databases.</summary>
public sealed class ImportTablesTests : EngineTestBase
{
    private static MigrationFolder DbmateFolder() =>
        new MigrationFolder().File("1_create_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");

    // An empty file is an empty SQLite database, which the test's own connection opens without creating.
    private TestDatabase Empty(SqlDialect dialect)
    {
        var db = Database(dialect);
        if (db.SqliteFile is { } file)
        {
            File.WriteAllBytes(file, []);
        }

        return db;
    }

    private static ImportRequest Dbmate(string folder) => new(SourceTool.Dbmate, folder);

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_table_of_the_history_tables_name_that_is_neither_ours_nor_the_tools_is_left_alone(SqlDialect dialect)
    {
        var db = Empty(dialect);
        using var source = DbmateFolder();
        db.Execute("CREATE TABLE schema_migrations (id int, note text)");

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.Import(db.Settings(Folder), Dbmate(source.Path), _ => true, CancellationToken.None));

        Assert.Equal(MigrationErrors.HistoryTableTaken, error.Error);
        Assert.Equal(0, db.Count("SELECT count(*) FROM schema_migrations"));
        Assert.False(db.TableExists("dbmate_schema_migrations"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void The_tools_table_is_not_moved_onto_a_name_that_is_taken(SqlDialect dialect)
    {
        var db = Empty(dialect);
        using var source = DbmateFolder();
        db.Execute("CREATE TABLE schema_migrations (version varchar(128) primary key)");
        db.Execute("INSERT INTO schema_migrations (version) VALUES ('1')");
        db.Execute("CREATE TABLE dbmate_schema_migrations (anything int)");

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.Import(db.Settings(Folder), Dbmate(source.Path), _ => true, CancellationToken.None));

        Assert.Equal(MigrationErrors.HistoryTableTaken, error.Error);
        Assert.Equal(1, db.Count("SELECT count(*) FROM schema_migrations"));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void Without_the_tools_table_nothing_is_imported(SqlDialect dialect)
    {
        var db = Empty(dialect);
        using var source = DbmateFolder();

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.Import(db.Settings(Folder), Dbmate(source.Path), _ => true, CancellationToken.None));

        Assert.Equal(MigrationErrors.SourceHistoryNotFound, error.Error);
        Assert.False(db.TableExists("schema_migrations"));
        Assert.Empty(Directory.EnumerateFiles(Folder.Path));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_declined_import_changes_nothing(SqlDialect dialect)
    {
        var db = Empty(dialect);
        using var source = DbmateFolder();
        db.Execute("CREATE TABLE schema_migrations (version varchar(128) primary key)");
        db.Execute("INSERT INTO schema_migrations (version) VALUES ('1')");

        var plan = MigrationUseCases.Import(db.Settings(Folder), Dbmate(source.Path), _ => false, CancellationToken.None);

        Assert.Equal("dbmate_schema_migrations", plan.MoveAsideTo);
        Assert.False(db.TableExists("dbmate_schema_migrations"));
        Assert.Empty(Directory.EnumerateFiles(Folder.Path));
    }
}
