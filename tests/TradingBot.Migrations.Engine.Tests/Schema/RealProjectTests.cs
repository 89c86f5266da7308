using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Schema;

/// <summary>
/// The canonical form on a real project nobody here wrote: Authelia's first four storage migrations, for PostgreSQL and
/// SQLite (tests/fixtures/authelia, Apache-2.0).
/// </summary>
[Collection("Scratch databases")]
public sealed class RealProjectTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "tests", "fixtures", "authelia", "migrations");

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Two_fresh_replays_export_the_same_bytes_as_the_migrated_database(SqlDialect dialect)
    {
        using var database = TestDatabase.Create(dialect);
        var settings = Settings(database);

        var first = MigrationUseCases.ReplaySchema(settings, CancellationToken.None).ToText();
        var second = MigrationUseCases.ReplaySchema(settings, CancellationToken.None).ToText();
        MigrationUseCases.Migrate(settings, new UpOptions(), () => NullMigrationObserver.Instance, null, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(first, MigrationUseCases.ExportSchema(settings, CancellationToken.None).ToText());
        var snapshot = SchemaText.Parse(first, "authelia");
        Assert.Equal(dialect == SqlDialect.PostgreSql ? 18 : 16, snapshot.Objects.Count(o => o.Kind == SchemaObjectKind.Table));
        Assert.Contains(snapshot.Objects, o => o.Kind == SchemaObjectKind.Constraint && o["type"] == "foreign key");
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Hand_made_changes_are_the_only_differences_from_the_replayed_migrations(SqlDialect dialect)
    {
        using var database = TestDatabase.Create(dialect);
        var settings = Settings(database);
        MigrationUseCases.Migrate(settings, new UpOptions(), () => NullMigrationObserver.Instance, null, CancellationToken.None);
        database.Execute(dialect == SqlDialect.PostgreSql
            ? """
              CREATE INDEX hotfix_username_idx ON authentication_logs (username);
              ALTER TABLE totp_configurations ALTER COLUMN digits SET DEFAULT 8;
              ALTER TABLE oauth2_access_token_session DROP CONSTRAINT oauth2_access_token_session_subject_fkey;
              """
            : """
              CREATE INDEX hotfix_username_idx ON authentication_logs (username);
              DROP INDEX oauth2_access_token_session_client_id_idx;
              ALTER TABLE totp_configurations ADD COLUMN left_behind INTEGER;
              """);

        var drift = MigrationUseCases.LiveDrift(settings, null, CancellationToken.None);

        Assert.Equal(
            dialect == SqlDialect.PostgreSql
                ? ["Index public.hotfix_username_idx extra Warning",
                   "Constraint public.oauth2_access_token_session.oauth2_access_token_session_subject_fkey missing Error",
                   "Column public.totp_configurations.digits default Warning"]
                : ["Index hotfix_username_idx extra Warning",
                   "Index oauth2_access_token_session_client_id_idx missing Warning",
                   "Column totp_configurations.left_behind extra Warning"],
            drift.Differences.Select(d => $"{d.Kind} {d.Name} {d.Description} {d.Severity}"));
    }

    [Fact]
    public void The_round_trip_check_finds_that_a_postgres_down_of_authelia_fails_and_the_sqlite_ones_are_lossless()
    {
        using var postgres = TestDatabase.Create(SqlDialect.PostgreSql);
        using var sqlite = TestDatabase.Create(SqlDialect.Sqlite);

        var onPostgres = MigrationUseCases.CheckRoundTrips(Settings(postgres), null, CancellationToken.None);
        var onSqlite = MigrationUseCases.CheckRoundTrips(Settings(sqlite), null, CancellationToken.None);

        // V0002's down re-creates totp_configurations_username_key while the index of that name, which moved with the table
        // the up renamed to _bkp_UP_V0002_totp_configurations, is still there.
        Assert.Equal(["1 Lossless", "2 Failed"], onPostgres.Select(r => $"{r.Version} {r.Outcome}"));
        Assert.Contains("the down failed: ", onPostgres[1].Reason, StringComparison.Ordinal);
        Assert.Contains("42P07: relation \"totp_configurations_username_key\" already exists", onPostgres[1].Reason, StringComparison.Ordinal);
        Assert.Equal(["1 Lossless", "2 Lossless", "3 Lossless", "4 Lossless"], onSqlite.Select(r => $"{r.Version} {r.Outcome}"));
    }

    private static EngineSettings Settings(TestDatabase database) =>
        new(database.Target, Folder) { AppliedBy = TestDatabase.AppliedBy, LockTimeout = TimeSpan.FromSeconds(30) };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Migrations.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (with Migrations.sln) is not above " + AppContext.BaseDirectory);
    }
}
