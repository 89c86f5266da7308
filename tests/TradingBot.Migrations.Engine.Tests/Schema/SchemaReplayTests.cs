using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Schema;

/// <summary>
/// Replays into scratch databases; in one collection with the other classes here that make them. What a call leaves
/// behind is told by name (ScratchDatabases), as the cmdlet tests, run at the same time, make and drop their own.
/// </summary>
[Collection("Scratch databases")]
public sealed class SchemaReplayTests
{
    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Replay_gives_the_schema_the_migrations_make_and_leaves_no_scratch_database(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaExportTests.Fixture(dialect));
        using var database = TestDatabase.Create(dialect);
        database.Migrate(folder);
        var before = ScratchNames(database);

        var replayed = MigrationUseCases.ReplaySchema(database.Settings(folder), CancellationToken.None);

        Assert.Equal(SchemaExportTests.Export(database, folder).ToText(), replayed.ToText());
        AssertNoScratchLeft(database, before);
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void A_failing_migration_fails_the_replay_and_its_scratch_database_is_dropped(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades").Sql("1.0.1", "broken", "CREATE TABLE trades (id integer);\n");
        using var database = TestDatabase.Create(dialect);
        var before = ScratchNames(database);

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.ReplaySchema(database.Settings(folder), CancellationToken.None));

        Assert.Equal("MigrationFailed", error.ErrorId);
        AssertNoScratchLeft(database, before);
    }

    [Fact]
    public void Cancelling_a_replay_mid_statement_drops_its_scratch_database()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades").Sql("1.0.1", "slow", "SELECT pg_sleep(60);\n");
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        var before = ScratchNames(database);
        using var cancellation = new CancellationTokenSource();
        // The cancel lands once the slow statement runs in the scratch database, however long creating it took under
        // load: a clock started before the call once ran out before that (and the cancel was not a mid-statement one).
        var canceller = new Thread(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline &&
                   database.Count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND pid <> pg_backend_pid()") == 0)
            {
                Thread.Sleep(50);
            }

            cancellation.Cancel();
        });
        canceller.Start();

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.ReplaySchema(database.Settings(folder), cancellation.Token));
        canceller.Join();

        Assert.Equal(MigrationErrorKind.Canceled, error.Kind);
        AssertNoScratchLeft(database, before);
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void A_committed_schema_file_is_current_until_a_migration_changes_the_schema(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaExportTests.Fixture(dialect));
        using var database = TestDatabase.Create(dialect);
        var file = folder.PathOf("schema.txt");
        File.WriteAllText(file, MigrationUseCases.ReplaySchema(database.Settings(folder), CancellationToken.None).ToText());

        var current = MigrationUseCases.CheckSchemaFile(database.Settings(folder), file, CancellationToken.None);
        folder.Sql("1.0.1", "fills", "CREATE TABLE fills (id integer);\nCREATE INDEX fills_id_idx ON fills (id);\n");
        var stale = MigrationUseCases.CheckSchemaFile(database.Settings(folder), file, CancellationToken.None);

        Assert.Empty(current.Differences);
        Assert.True(current.SameText);
        Assert.False(stale.SameText);
        var table = dialect == SqlDialect.PostgreSql ? "public.fills" : "fills";
        Assert.Equal([SchemaObjectKind.Table, SchemaObjectKind.Column, SchemaObjectKind.Index], stale.Differences.Select(d => d.Kind));
        Assert.All(stale.Differences, d => Assert.Equal(SchemaChange.Extra, d.Change));
        Assert.Contains($"\n+ table {table}\n", stale.DiffText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Live_drift_compares_with_a_replay_of_the_applied_migrations_only(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades").Table("1.0.1", "orders");
        using var database = TestDatabase.Create(dialect);
        database.Migrate(folder, new TradingBot.Migrations.Engine.Planning.UpOptions(MigrationVersion.Parse("1.0.0")));

        var clean = MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None);
        database.Execute("CREATE INDEX trades_hotfix ON trades (id); CREATE TABLE left_behind (id integer)");
        var drifted = MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None);

        Assert.Empty(clean.Differences);
        Assert.Equal("migrations up to 1.0.0 replayed", clean.Reference);
        var prefix = dialect == SqlDialect.PostgreSql ? "public." : string.Empty;
        Assert.Equal(
            [$"Table {prefix}left_behind Extra", $"Column {prefix}left_behind.id Extra", $"Index {prefix}trades_hotfix Extra"],
            drifted.Differences.Select(d => $"{d.Kind} {d.Name} {d.Change}"));
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Live_drift_leaves_out_a_pending_migration_between_applied_ones(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades").Table("1.0.2", "fills");
        using var database = TestDatabase.Create(dialect);
        database.Migrate(folder);
        folder.Table("1.0.1", "orders");

        var drift = MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None);

        Assert.Empty(drift.Differences);
        Assert.Equal("migrations up to 1.0.2 replayed without 1.0.1 (not applied)", drift.Reference);
        Assert.Empty(drift.Notes);
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Live_drift_refuses_when_an_applied_migration_has_no_file_and_drops_no_scratch_database_behind(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades").Table("1.0.1", "orders");
        using var database = TestDatabase.Create(dialect);
        database.Migrate(folder);
        File.Delete(folder.PathOf("1.0.1__create_orders.up.sql"));
        File.Delete(folder.PathOf("1.0.1__create_orders.down.sql"));
        var before = ScratchNames(database);

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None));

        Assert.Equal("AppliedMigrationMissing", error.ErrorId);
        Assert.Equal("1.0.1", error.Version);
        Assert.Contains("applied 1.0.1, whose files are not in", error.Message, StringComparison.Ordinal);
        AssertNoScratchLeft(database, before);
    }

    [Fact]
    public void Live_drift_notes_a_migration_changed_after_it_was_applied()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        database.Migrate(folder);
        File.AppendAllText(folder.PathOf("1.0.0__create_trades.up.sql"), "CREATE INDEX trades_id_idx ON trades (id);\n");

        var drift = MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None);

        Assert.Equal(["Migration 1.0.0 (create_trades) changed after it was applied: the replay runs the file as it is now."], drift.Notes);
        var index = Assert.Single(drift.Differences);
        Assert.Equal((SchemaObjectKind.Index, "trades_id_idx", SchemaChange.Missing), (index.Kind, index.Name, index.Change));
    }

    [Fact]
    public void A_schema_file_of_the_other_database_is_refused()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        var file = folder.PathOf("schema.txt");
        File.WriteAllText(file, new SchemaSnapshot(SqlDialect.PostgreSql, []).ToText());

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.LiveDrift(database.Settings(folder), file, CancellationToken.None));

        Assert.Equal("SchemaDialectMismatch", error.ErrorId);
    }

    // PostgreSQL: the scratch databases on the test server; SQLite: the scratch folders in the temp folder. Compared by
    // name (ScratchDatabases): the cmdlet tests, which run at the same time, make and drop their own.
    private static IReadOnlyList<string> ScratchNames(TestDatabase database) =>
        database.Dialect == SqlDialect.PostgreSql
            ? ScratchDatabases.Names()
            : Directory.GetDirectories(Path.GetTempPath(), "tbm-scratch-*").Order().ToList();

    private static void AssertNoScratchLeft(TestDatabase database, IReadOnlyList<string> before) =>
        ScratchDatabases.AssertNoneLeft(before, () => ScratchNames(database));
}
