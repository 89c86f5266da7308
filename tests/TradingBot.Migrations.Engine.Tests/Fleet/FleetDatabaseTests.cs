using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Fleet;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Fleet;

/// <summary>Fleets over real databases: many tenants in one call, a failing tenant, overlapping runs, a stop between migrations.</summary>
public sealed class FleetDatabaseTests : IDisposable
{
    private readonly MigrationFolder folder = new MigrationFolder().Table("1.0.1", "a").Table("1.0.2", "b").Table("1.0.3", "c").Table("1.0.4", "d");
    private readonly List<TestDatabase> databases = [];

    public void Dispose()
    {
        folder.Dispose();
        databases.ForEach(d => d.Dispose());
    }

    private List<TestDatabase> Tenants(SqlDialect dialect, int count)
    {
        var created = Enumerable.Range(0, count).Select(_ => TestDatabase.Create(dialect)).ToList();
        databases.AddRange(created);
        return created;
    }

    // A SQLite tenant's file does not exist until its first run: create it with the table that will make a migration fail.
    private static void Prepare(TestDatabase tenant, string sql)
    {
        if (tenant.SqliteFile is { } file)
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
            return;
        }

        tenant.Execute(sql);
    }

    private FleetReport<IReadOnlyList<StepResult>> MigrateFleet(IEnumerable<TestDatabase> tenants, FleetOptions options) =>
        MigrationUseCases.Fleet(tenants.Select(t => t.Target).ToList(), options,
            run => MigrationUseCases.Migrate(new EngineSettings(run.Target, folder.Path) { AppliedBy = TestDatabase.AppliedBy, LockTimeout = TimeSpan.FromSeconds(60) },
                new UpOptions(), () => new StopBetweenMigrations(() => run.StopRequested), null, run.Cancellation),
            new NoFleetObserver(), CancellationToken.None);

    [Fact]
    public void Two_hundred_sqlite_tenants_are_migrated_in_one_call()
    {
        var tenants = Tenants(SqlDialect.Sqlite, 200);

        var report = MigrateFleet(tenants, new FleetOptions(ThrottleLimit: 8));

        Assert.True(report.AllSucceeded);
        Assert.All(report.Targets, t => Assert.Equal(4, t.Result!.Count));
        Assert.All(tenants, t => Assert.Equal(4, t.Count("SELECT count(*) FROM schema_migrations")));
    }

    [RequiresPostgresFact]
    public void Twenty_postgres_databases_are_migrated_in_one_call()
    {
        var tenants = Tenants(SqlDialect.PostgreSql, 20);

        var report = MigrateFleet(tenants, new FleetOptions(ThrottleLimit: 4));

        Assert.True(report.AllSucceeded);
        Assert.Equal(tenants.Select(t => t.Target.DisplayName), report.Targets.Select(t => t.Target.DisplayName));
        Assert.All(tenants, t => Assert.Equal(4, t.Count("SELECT count(*) FROM schema_migrations")));
        // Each target's connection is closed once it is done, not kept in a pool per database.
        Assert.All(tenants, t => Assert.Equal(0, t.Count(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'engine-tests'")));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_tenant_stops_the_ones_after_it_and_continue_on_error_runs_them(SqlDialect dialect)
    {
        var tenants = Tenants(dialect, 6);
        Prepare(tenants[2], "CREATE TABLE c (id integer)"); // 1.0.3 fails there

        var stopped = MigrateFleet(tenants, new FleetOptions(ThrottleLimit: 1));

        Assert.Equal(FleetStopReason.TargetFailed, stopped.StopReason);
        Assert.Equal([FleetTargetState.Succeeded, FleetTargetState.Succeeded, FleetTargetState.Failed, FleetTargetState.NotStarted, FleetTargetState.NotStarted, FleetTargetState.NotStarted],
            stopped.Targets.Select(t => t.State));
        Assert.Equal("MigrationFailed", Assert.IsType<MigrationException>(stopped.Targets[2].Error).ErrorId);
        Assert.Equal(2, tenants[2].Count("SELECT count(*) FROM schema_migrations"));
        Assert.False(tenants[3].TableExists("schema_migrations"));

        var continued = MigrateFleet(tenants, new FleetOptions(ThrottleLimit: 3, ContinueOnError: true));

        Assert.Equal([2], continued.Targets.Where(t => t.State == FleetTargetState.Failed).Select(t => t.Index));
        Assert.All(tenants.Where((_, i) => i != 2), t => Assert.Equal(4, t.Count("SELECT count(*) FROM schema_migrations")));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_failing_canary_leaves_every_other_tenant_untouched(SqlDialect dialect)
    {
        var tenants = Tenants(dialect, 5);
        Prepare(tenants[1], "CREATE TABLE b (id integer)");

        var report = MigrateFleet(tenants, new FleetOptions(ThrottleLimit: 4, ContinueOnError: true, Canary: 2));

        Assert.Equal(FleetStopReason.CanaryFailed, report.StopReason);
        Assert.Equal(FleetTargetState.Failed, report.Targets[1].State);
        Assert.All(tenants.Skip(2), t => Assert.False(t.TableExists("schema_migrations")));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Two_fleet_runs_at_once_over_overlapping_tenants_apply_each_migration_once(SqlDialect dialect)
    {
        var tenants = Tenants(dialect, dialect == SqlDialect.Sqlite ? 30 : 10);
        var half = tenants.Count / 2;

        var runs = new[] { tenants.Take(half + 5), tenants.Skip(half - 5) }
            .Select(list => Task.Run(() => MigrateFleet(list.ToList(), new FleetOptions(ThrottleLimit: 4))))
            .ToArray();
        var reports = await Task.WhenAll(runs);

        Assert.All(reports, r => Assert.True(r.AllSucceeded));
        var applied = reports.SelectMany(r => r.Targets)
            .GroupBy(t => t.Target.DisplayName)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Result!.Count(s => s.Outcome == StepOutcome.Succeeded)));
        Assert.All(tenants, t => Assert.Equal(4, applied[t.Target.DisplayName]));
        Assert.All(tenants, t => Assert.Equal(4, t.Count("SELECT count(*) FROM schema_migrations")));
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_stop_asked_for_mid_run_finishes_the_migration_in_flight_and_runs_no_other(SqlDialect dialect)
    {
        var tenant = Tenants(dialect, 1)[0];
        var stop = false;
        var observer = new StopBetweenMigrations(() => stop, oneAtATime: true) { Finished = _ => stop = true };

        Assert.Throws<OperationCanceledException>(() => MigrationUseCases.Migrate(tenant.Settings(folder), new UpOptions(), () => observer, null, CancellationToken.None));

        Assert.Equal(["1.0.1"], tenant.History(folder).Select(h => h.Version));
        Assert.True(tenant.TableExists("a"));
        Assert.False(tenant.TableExists("b"));
        Assert.Equal(4, tenant.Migrate(folder).Count + 1); // the lock was released: the next run applies the rest
    }

    private sealed class StopBetweenMigrations(Func<bool> stop, bool oneAtATime = false) : IMigrationObserver
    {
        public Action<StepResult>? Finished { get; init; }

        public bool WantsStatementTiming => oneAtATime;

        public bool StopRequested => stop();

        public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
        {
        }

        public void StepStarting(PlannedStep step, int index, int count)
        {
        }

        public void StepFinished(StepResult result) => Finished?.Invoke(result);
    }

    private sealed class NoFleetObserver : IFleetObserver<IReadOnlyList<StepResult>>
    {
        public void TargetStarting(FleetTargetRun run)
        {
        }

        public void TargetFinished(FleetTargetOutcome<IReadOnlyList<StepResult>> outcome)
        {
        }
    }
}
