using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Tests.Planning;

/// <summary>Plans down: to a version, by count, of a piped set, and what refuses a range.</summary>
public sealed partial class StatusAndPlanningTests
{
    [Fact]
    public void Rollback_to_version_runs_downs_newest_first()
    {
        var plan = Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(V("1.0.2")));

        Assert.Equal(MigrationDirection.Down, plan.Direction);
        Assert.Equal(["1.0.4", "1.0.3"], Versions(plan));
        Assert.All(plan.Steps, s => Assert.EndsWith(".down.sql", s.Script.FileName, StringComparison.Ordinal));
    }

    [Fact]
    public void Rollback_to_version_0_undoes_everything()
    {
        Assert.Equal(["1.0.3", "1.0.2", "1.0.1"], Versions(Down(Applied("1.0.1", "1.0.2", "1.0.3"), new DownOptions(V("0")))));
    }

    [Fact]
    public void Rollback_by_count_undoes_the_newest_n()
    {
        Assert.Equal(["1.0.3", "1.0.2"], Versions(Down(Applied("1.0.1", "1.0.2", "1.0.3"), new DownOptions(Count: 2))));
        Assert.Equal(["1.0.3", "1.0.2", "1.0.1"], Versions(Down(Applied("1.0.1", "1.0.2", "1.0.3"), new DownOptions(Count: 10))));
    }

    [Fact]
    public void Rollback_by_count_refuses_zero()
    {
        Refused(() => Down(Applied("1.0.1"), new DownOptions(Count: 0)), "InvalidCount");
    }

    [Fact]
    public void Rollback_of_a_piped_set_includes_everything_newer_than_its_oldest_member()
    {
        var plan = Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(Versions: [V("1.0.3"), V("1.0.2")]));

        Assert.Equal(["1.0.4", "1.0.3", "1.0.2"], Versions(plan));
    }

    [Fact]
    public void Rollback_of_a_piped_set_refuses_an_unknown_version()
    {
        var error = Refused(() => Down(Applied("1.0.1"), new DownOptions(Versions: [V("7.7")])), "UnknownVersion");

        Assert.Contains("7.7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_refuses_an_unknown_target_version()
    {
        var error = Refused(() => Down(Applied("1.0.1"), new DownOptions(V("1.0.9"))), "UnknownTargetVersion");

        Assert.Contains("-TargetVersion 0 rolls back everything", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_without_a_target_or_count_is_refused()
    {
        Refused(() => Down(Applied("1.0.1"), new DownOptions()), "NoRollbackTarget");
    }

    [Fact]
    public void Rollback_refuses_the_whole_range_when_any_migration_in_it_lacks_a_down()
    {
        File.Delete(folder.PathOf("1.0.2__create_b.down.sql"));

        var error = Refused(() => Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(V("0"))), "MissingDownScript");

        Assert.Contains("no down script for 1.0.2 (create_b)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_above_a_migration_without_a_down_is_allowed()
    {
        File.Delete(folder.PathOf("1.0.2__create_b.down.sql"));

        Assert.Equal(["1.0.4", "1.0.3"], Versions(Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(V("1.0.2")))));
    }

    [Fact]
    public void Rollback_refuses_a_range_with_a_Missing_migration_since_it_has_no_down()
    {
        var history = Applied("1.0.1");
        history.Add(new HistoryRecord("2.0", "gone", "abc", DateTime.UtcNow, "someone", 1, HistoryState.Applied, null));

        var error = Refused(() => Down(history, new DownOptions(Count: 1)), "MissingDownScript");

        Assert.Contains("2.0 (gone)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_refuses_a_Modified_migration_unless_allowed()
    {
        var history = Applied("1.0.1", "1.0.2");
        folder.File("1.0.2__create_b.up.sql", "CREATE TABLE b (id bigint);");

        Refused(() => Down(history, new DownOptions(Count: 1)), "ModifiedMigrationBlocks");
        Assert.Equal(["1.0.2"], Versions(Down(history, new DownOptions(Count: 1, AllowModified: true))));
    }

    [Fact]
    public void Rollback_refuses_a_range_with_a_Failed_migration()
    {
        var history = Applied("1.0.1");
        history.Add(Applied("1.0.2")[0] with { State = HistoryState.Failed, FailedStatement = "x" });

        Refused(() => Down(history, new DownOptions(V("0"))), "FailedMigrationBlocks");
    }

    [Fact]
    public void Rollback_with_nothing_applied_is_an_empty_plan()
    {
        Assert.Empty(Down([], new DownOptions(V("0"))).Steps);
    }
}
