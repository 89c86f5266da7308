using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>PowerShell migrations as the engine sees them: a runner given a transaction-bound context.</summary>
public sealed class PowerShellMigrationTests : EngineTestBase
{
    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_runs_its_SQL_with_parameters_inside_the_migration_transaction(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a").File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n  Down = { param($Migration) }\n}\n");
        var runner = new SqlRunner(context =>
        {
            context.Execute("INSERT INTO a (id) VALUES (@id)", new Hashtable { ["id"] = 42 });
            Assert.Equal(1L, Convert.ToInt64(context.Scalar("SELECT count(*) FROM a WHERE id = @id", new Hashtable { ["id"] = 42 }), System.Globalization.CultureInfo.InvariantCulture));
        });

        var results = db.Migrate(Folder, configure: s => s with { PowerShellRunner = runner });

        Assert.Equal(["1", "2"], Versions(results));
        Assert.Equal(42L, Convert.ToInt64(db.Scalar("SELECT id FROM a"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["1", "2"], Versions(db.History(Folder)));
        Assert.Equal(MigrationKind.PowerShell, results[1].Step.Migration.Kind);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_that_throws_is_rolled_back_and_not_recorded(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "a").File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n}\n");
        var runner = new SqlRunner(context =>
        {
            context.Execute("INSERT INTO a (id) VALUES (7)");
            throw new InvalidOperationException("script failed");
        });

        Assert.Throws<InvalidOperationException>(() => db.Migrate(Folder, configure: s => s with { PowerShellRunner = runner }));

        Assert.Equal(0, db.Count("SELECT count(*) FROM a"));
        Assert.Equal(["1"], Versions(db.History(Folder)));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_migration_without_a_PowerShell_host_is_refused(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.File("2__backfill.ps1", "@{\n  Up = { param($Migration) }\n}\n");

        Assert.Equal("PowerShellHostRequired", Assert.Throws<MigrationException>(() => db.Migrate(Folder)).ErrorId);
        Assert.Empty(db.History(Folder));
    }

    // The engine skips reading PostgreSQL's type catalog unless the folder has a PowerShell migration: SQL scripts may
    // still return values of the database's own types (skipped), and a PowerShell migration reads them.
    [RequiresPostgresFact]
    public void Enums_domains_and_their_arrays_come_back_from_SQL_scripts_and_reach_PowerShell_migrations()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Sql("1", "mood", """
            CREATE TYPE mood AS ENUM ('calm', 'busy');
            CREATE DOMAIN percent AS integer CHECK (VALUE BETWEEN 0 AND 100);
            CREATE TABLE m (x mood, p percent, xs mood[]);
            INSERT INTO m VALUES ('busy', 42, '{calm,busy}') RETURNING *;
            SELECT x, p, xs FROM m;
            """);
        Assert.Single(db.Migrate(Folder));

        Folder.File("2__read.ps1", "@{\n  Up = { param($Migration) }\n}\n");
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows = [];
        var runner = new SqlRunner(context => rows = context.Query("SELECT x, p, xs FROM m"));
        db.Migrate(Folder, configure: s => s with { PowerShellRunner = runner });

        var row = Assert.Single(rows);
        Assert.Equal("busy", row["x"]);
        Assert.Equal(42, row["p"]);
        Assert.Equal(["calm", "busy"], Assert.IsType<string[]>(row["xs"]));
    }

    private sealed class SqlRunner(Action<MigrationContext> up) : IPowerShellMigrationRunner
    {
        public void Run(PlannedStep step, MigrationContext context) => up(context);
    }
}
