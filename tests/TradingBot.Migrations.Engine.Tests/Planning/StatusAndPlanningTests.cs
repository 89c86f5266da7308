using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Planning;

/// <summary>Status and plans are pure functions of catalog × history: no database here.</summary>
public sealed partial class StatusAndPlanningTests : IDisposable
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
}
