using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Planning;

/// <summary>Status and plans are pure functions of catalog × history: no database here.</summary>
public sealed class StatusAndPlanningTests : IDisposable
{
    private const SqlDialect Dialect = SqlDialect.Sqlite;
    private readonly MigrationFolder folder = new();

    public StatusAndPlanningTests()
    {
        folder.Table("1.0.1", "a").Table("1.0.2", "b").Table("1.0.3", "c").Table("1.0.4", "d");
    }

    public void Dispose() => folder.Dispose();

    private static MigrationVersion V(string text) => MigrationVersion.Parse(text);

    private MigrationCatalog Catalog => MigrationCatalog.Load(folder.Path);

    /// <summary>History rows for these versions, with the checksums of the files as they are now.</summary>
    private List<HistoryRecord> Applied(params string[] versions)
    {
        var catalog = Catalog;
        return versions.Select(v =>
        {
            var migration = catalog.Find(V(v));
            return new HistoryRecord(v, migration?.Name ?? "gone", migration?.ChecksumFor(Dialect) ?? "abc", DateTime.UtcNow, "someone", 5, HistoryState.Applied, null);
        }).ToList();
    }

    private IReadOnlyList<MigrationStatusEntry> Status(IReadOnlyList<HistoryRecord> history) =>
        MigrationStatusCalculator.Compute(Catalog, history, Dialect);

    private MigrationPlan Up(IReadOnlyList<HistoryRecord> history, UpOptions? options = null) =>
        RunnableScripts.Checked(MigrationPlanner.PlanUp(Status(history), Dialect, options ?? new UpOptions()), Dialect);

    private MigrationPlan Down(IReadOnlyList<HistoryRecord> history, DownOptions options) =>
        RunnableScripts.Checked(MigrationPlanner.PlanDown(Status(history), Dialect, options), Dialect);

    private static IEnumerable<string> Versions(MigrationPlan plan) => plan.Steps.Select(s => s.Migration.Version.Text);

    private static MigrationException Refused(Func<MigrationPlan> plan, string errorId)
    {
        var error = Assert.Throws<MigrationException>(() => plan());
        Assert.Equal(MigrationErrorKind.PlanRefused, error.Kind);
        Assert.Equal(errorId, error.ErrorId);
        return error;
    }

    [Fact]
    public void Status_of_an_empty_history_is_all_Pending()
    {
        var status = Status([]);

        Assert.Equal(["1.0.1", "1.0.2", "1.0.3", "1.0.4"], status.Select(s => s.Version.Text));
        Assert.All(status, s => Assert.Equal(MigrationState.Pending, s.State));
    }

    [Fact]
    public void Status_is_Applied_when_the_history_checksum_matches_the_file()
    {
        var status = Status(Applied("1.0.1", "1.0.2"));

        Assert.Equal([MigrationState.Applied, MigrationState.Applied, MigrationState.Pending, MigrationState.Pending], status.Select(s => s.State));
        Assert.Equal("someone", status[0].Record!.AppliedBy);
    }

    [Fact]
    public void Status_is_Modified_when_the_file_changed_since_it_was_applied()
    {
        var history = Applied("1.0.1", "1.0.2");
        folder.File("1.0.2__create_b.up.sql", "CREATE TABLE b (id integer PRIMARY KEY, x int);\n");

        var entry = Status(history).Single(s => s.Version == V("1.0.2"));

        Assert.Equal(MigrationState.Modified, entry.State);
        Assert.NotEqual(entry.Record!.Checksum, entry.FileChecksum);
    }

    [Fact]
    public void Status_ignores_line_ending_changes_so_a_CRLF_checkout_is_not_Modified()
    {
        var history = Applied("1.0.1");
        folder.File("1.0.1__create_a.up.sql", "CREATE TABLE a (id integer PRIMARY KEY);\r\n");

        Assert.Equal(MigrationState.Applied, Status(history)[0].State);
    }

    [Fact]
    public void Status_is_Missing_when_an_applied_version_has_no_files()
    {
        var history = Applied("1.0.1");
        history.Add(new HistoryRecord("0.9", "old_one", "abc", DateTime.UtcNow, "someone", 1, HistoryState.Applied, null));

        var entry = Status(history)[0];

        Assert.Equal(V("0.9"), entry.Version);
        Assert.Equal(MigrationState.Missing, entry.State);
        Assert.Equal("old_one", entry.Name);
        Assert.Null(entry.Migration);
    }

    [Fact]
    public void Status_is_Failed_for_a_history_row_recorded_as_failed()
    {
        var history = Applied("1.0.1");
        history.Add(Applied("1.0.2")[0] with { State = HistoryState.Failed, FailedStatement = "CREATE INDEX CONCURRENTLY x" });

        Assert.Equal(MigrationState.Failed, Status(history)[1].State);
    }

    [Fact]
    public void Status_refuses_a_history_row_whose_version_cannot_be_parsed()
    {
        var history = Applied("1.0.1");
        history.Add(history[0] with { Version = "banana" });

        var error = Assert.Throws<MigrationException>(() => Status(history));

        Assert.Equal("HistoryVersionInvalid", error.ErrorId);
        Assert.Contains("'banana'", error.Message, StringComparison.Ordinal);
    }

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

    [Theory]
    [InlineData("COMMIT;")]
    [InlineData("commit work;")]
    [InlineData("END;")]
    [InlineData("END TRANSACTION;")]
    [InlineData("COMMIT AND CHAIN;")]
    [InlineData("ROLLBACK;")]
    [InlineData("ROLLBACK TRANSACTION;")]
    [InlineData("ABORT;")]
    [InlineData("PREPARE TRANSACTION 'x';")]
    public void A_transactional_migration_that_ends_its_own_transaction_is_refused_naming_the_statement(string control)
    {
        folder.File("1.0.5__commits.up.sql", $"CREATE TABLE e (id integer);\n-- done\n{control}\nCREATE TABLE f (id integer);\n");

        var error = Assert.Throws<MigrationException>(() => Up(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4")));

        Assert.Equal(MigrationErrorKind.InvalidMigrationFile, error.Kind);
        Assert.Equal("TransactionControlInMigration", error.ErrorId);
        Assert.Equal("1.0.5", error.Version);
        Assert.Equal(3, error.Line);
        Assert.Equal(control.TrimEnd(';'), error.Statement);
        Assert.Contains("1.0.5__commits.up.sql line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("-- transaction: none", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_down_that_ends_its_own_transaction_is_refused_before_anything_is_rolled_back()
    {
        folder.File("1.0.4__create_d.down.sql", "BEGIN;\nDROP TABLE d;\nCOMMIT;\n");

        var error = Assert.Throws<MigrationException>(() => Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(V("0"))));

        Assert.Equal("TransactionControlInMigration", error.ErrorId);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("-- transaction: none\nBEGIN;\nCREATE TABLE e (id integer);\nCOMMIT;\n")]
    [InlineData("BEGIN;\nCREATE TABLE e (id integer);\n")]
    [InlineData("SAVEPOINT s;\nCREATE TABLE e (id integer);\nROLLBACK TO SAVEPOINT s;\nROLLBACK WORK TO s;\nRELEASE SAVEPOINT s;\n")]
    [InlineData("PREPARE q AS SELECT 1;\nCOMMIT PREPARED 'x';\n")]
    public void Transaction_control_that_keeps_the_migrators_transaction_or_a_transaction_none_migration_is_planned(string up)
    {
        folder.File("1.0.5__tx.up.sql", up);

        Assert.Equal(["1.0.5"], Versions(Up(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"))));
    }
}
