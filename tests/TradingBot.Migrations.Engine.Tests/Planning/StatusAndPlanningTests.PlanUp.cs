using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Tests.Planning;

/// <summary>Plans up: order, target versions, out-of-order, Modified, Failed and Missing migrations.</summary>
public sealed partial class StatusAndPlanningTests
{
    [Fact]
    public void Plan_up_applies_every_pending_migration_oldest_first()
    {
        var plan = Up(Applied("1.0.1"));

        Assert.Equal(MigrationDirection.Up, plan.Direction);
        Assert.Equal(["1.0.2", "1.0.3", "1.0.4"], Versions(plan));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Plan_up_with_a_target_version_stops_at_it()
    {
        Assert.Equal(["1.0.1", "1.0.2"], Versions(Up([], new UpOptions(V("1.0.2")))));
    }

    [Fact]
    public void Plan_up_refuses_an_unknown_target_version()
    {
        var error = Refused(() => Up([], new UpOptions(V("1.0.9"))), "UnknownTargetVersion");

        Assert.Contains("There is no migration 1.0.9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_up_refuses_a_target_below_the_newest_applied_and_points_to_Undo_Migration()
    {
        var error = Refused(() => Up(Applied("1.0.1", "1.0.2", "1.0.3"), new UpOptions(V("1.0.2"))), "TargetBelowApplied");

        Assert.Contains("Undo-Migration -TargetVersion 1.0.2", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_up_refuses_a_pending_migration_older_than_the_newest_applied()
    {
        var error = Refused(() => Up(Applied("1.0.1", "1.0.3")), "OutOfOrderMigrationBlocks");

        Assert.Contains("1.0.2 (create_b)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was run", error.Message, StringComparison.Ordinal);
        Assert.Contains("-AllowOutOfOrder", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_up_applies_an_out_of_order_migration_when_allowed_and_warns()
    {
        var plan = Up(Applied("1.0.1", "1.0.3"), new UpOptions(AllowOutOfOrder: true));

        Assert.Equal(["1.0.2", "1.0.4"], Versions(plan));
        Assert.Contains(plan.Warnings, w => w.Contains("out of order", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_up_refuses_while_an_applied_migration_is_Modified()
    {
        var history = Applied("1.0.1");
        folder.File("1.0.1__create_a.up.sql", "CREATE TABLE a (id bigint);");

        var error = Refused(() => Up(history), "ModifiedMigrationBlocks");

        Assert.Contains("1.0.1 (create_a)", error.Message, StringComparison.Ordinal);
        Assert.Contains("-AllowModified", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_up_runs_despite_a_Modified_migration_when_allowed_and_warns()
    {
        var history = Applied("1.0.1");
        folder.File("1.0.1__create_a.up.sql", "CREATE TABLE a (id bigint);");

        var plan = Up(history, new UpOptions(AllowModified: true));

        Assert.Equal(["1.0.2", "1.0.3", "1.0.4"], Versions(plan));
        Assert.Single(plan.Warnings);
    }

    [Fact]
    public void Plan_up_refuses_to_go_past_a_Failed_migration()
    {
        var history = Applied("1.0.1");
        history.Add(Applied("1.0.2")[0] with { State = HistoryState.Failed, FailedStatement = "CREATE INDEX CONCURRENTLY i ON b (id)" });

        var error = Refused(() => Up(history), "FailedMigrationBlocks");

        Assert.Contains("CREATE INDEX CONCURRENTLY i ON b (id)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Repair-Migration -Version 1.0.2", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_up_warns_about_Missing_migrations_but_goes_on()
    {
        var history = Applied("1.0.1");
        history.Insert(0, new HistoryRecord("0.9", "old_one", "abc", DateTime.UtcNow, "someone", 1, HistoryState.Applied, null));

        var plan = Up(history);

        Assert.Equal(3, plan.Steps.Count);
        Assert.Contains(plan.Warnings, w => w.Contains("0.9 (old_one)", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_up_refuses_a_migration_with_files_only_for_another_dialect()
    {
        folder.File("1.0.5__pg_only.up.postgres.sql", "CREATE EXTENSION x;");

        var error = Refused(() => Up([]), "NoScriptForDialect");

        Assert.Contains("1.0.5__pg_only.up.sqlite.sql", error.RecommendedAction, StringComparison.Ordinal);
    }
}
