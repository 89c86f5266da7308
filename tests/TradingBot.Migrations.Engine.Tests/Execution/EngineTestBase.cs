namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>A migrations folder and fresh databases for one test; helpers shared by the engine tests.</summary>
public abstract class EngineTestBase : IDisposable
{
    private readonly List<TestDatabase> databases = [];

    private protected MigrationFolder Folder { get; } = new();

    public void Dispose()
    {
        Folder.Dispose();
        databases.ForEach(d => d.Dispose());
        GC.SuppressFinalize(this);
    }

    private protected TestDatabase Database(SqlDialect dialect)
    {
        var database = TestDatabase.Create(dialect);
        databases.Add(database);
        return database;
    }

    private protected static MigrationVersion V(string text) => MigrationVersion.Parse(text);

    private protected static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private protected static IEnumerable<string> Versions(IEnumerable<StepResult> results) => results.Select(r => r.Step.Migration.Version.Text);

    private protected static IEnumerable<string> Versions(IEnumerable<HistoryRecord> history) => history.Select(r => r.Version);

    private protected void FourTables() => Folder.Table("1.0.1", "a").Table("1.0.2", "b").Table("1.0.3", "c").Table("1.0.4", "d");
}
