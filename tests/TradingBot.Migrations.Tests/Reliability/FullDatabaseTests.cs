using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// A SQLite file that fills up mid-migration: the migration's own PRAGMA max_page_count caps the file a few
/// pages above its size (the same SQLITE_FULL a full disk gives), then an insert outgrows it.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class FullDatabaseTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public FullDatabaseTests() => session = new PowerShellSession(folder.Path);

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void A_full_sqlite_file_fails_the_migration_clearly_and_leaves_the_file_consistent()
    {
        var file = Path.Combine(folder.Path, "dev.db");
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT);\n");
        session.Run("Invoke-Migration").ThrowOnError();
        var pages = SqliteCount(file, "PRAGMA page_count");
        folder.Write("1.0.2__fill.up.sql",
            $"PRAGMA max_page_count = {pages + 2};\n" +
            "INSERT INTO t (payload) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT printf('%.500c', 'x') FROM n;\n");

        var result = session.Run("Invoke-Migration");

        Assert.Equal("MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("1.0.2__fill.up.sql at line 2", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("full", result.Error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, SqliteCount(file, "SELECT count(*) FROM t"));
        Assert.Equal(1L, SqliteCount(file, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal("ok", SqliteScalar(file, "PRAGMA integrity_check"));
        Assert.Equal(["Applied", "Pending"], session.Run("Get-MigrationStatus").ThrowOnError().Output.Select(s => s.Properties["State"].Value.ToString()));
    }
}
