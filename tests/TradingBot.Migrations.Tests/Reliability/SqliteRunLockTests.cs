using System.Globalization;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// SQLite's run lock covers <c>-- transaction: none</c> migrations: racing runs wait for the one applying a slow
/// backfill instead of reading its in-progress row as Failed, and a killed holder leaves nothing to wait for.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class SqliteRunLockTests : IDisposable
{
    private const int Racers = 8;
    private const int Rounds = 5;
    private const int BackfillStatements = 4;
    private const int RowsPerStatement = 150_000;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    // A backfill too big for one transaction, in statements of its own: written twice, the ledger would hold twice the rows.
    private void WriteBackfillFolder()
    {
        folder.Write("1.0.1__ledger.up.sql", "CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);\n");
        var backfill = new System.Text.StringBuilder("-- transaction: none\n");
        for (var i = 0; i < BackfillStatements; i++)
        {
            backfill.Append(CultureInfo.InvariantCulture,
                $"INSERT INTO ledger (amount) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {RowsPerStatement}) SELECT x FROM c;\n");
        }

        folder.Write("1.0.2__backfill-ledger.up.sql", backfill.ToString());
        folder.Write("1.0.3__after.up.sql", "CREATE TABLE after_backfill (id INTEGER);\n");
    }

    [Fact]
    public void Eight_processes_racing_on_a_slow_non_transactional_backfill_write_each_row_once_and_all_succeed()
    {
        WriteBackfillFolder();
        var files = Enumerable.Range(0, Rounds).Select(r => Path.Combine(folder.Path, $"backfill-{r}.db")).ToList();

        var runs = Race(folder.Path, Racers, files.Select(f => $"Invoke-Migration -Database 'sqlite:{f}' -LockTimeout 120").ToList(), TimeSpan.FromSeconds(300));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}"));
        foreach (var file in files)
        {
            Assert.Equal(BackfillStatements * RowsPerStatement, SqliteCount(file, "SELECT count(*) FROM ledger"));
            Assert.Equal(3, SqliteCount(file, "SELECT count(*) FROM schema_migrations WHERE state = 'Applied'"));
        }

        Record($"sqlite run lock: {Racers} processes x {Rounds} rounds on a {BackfillStatements}-statement non-transactional backfill, each row written once, all {runs.Count} processes exited 0");
    }

    [Fact]
    public void A_killed_holder_mid_backfill_leaves_the_migration_Failed_at_its_statement_and_nobody_waiting()
    {
        var file = Path.Combine(folder.Path, "killed.db");
        // Many short statements, as a batched backfill is written: readers get in between them.
        folder.Write("1.0.1__backfill.up.sql", "-- transaction: none\nCREATE TABLE big (id integer);\n" + string.Concat(Enumerable.Repeat(
            "INSERT INTO big WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c;\n", 2000)));
        using var holder = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", "sqlite:" + file);
        WaitUntil(() => File.Exists(file) && new FileInfo(file).Length > 4_000_000, TimeSpan.FromSeconds(60), "the backfill to be under way");
        using var waiter = TbmRunning.Start(folder.Path, "Invoke-Migration", "-Database", "sqlite:" + file, "-LockTimeout", "600");
        var whileAlive = TbmProcess.Run(folder.Path, null, "Get-MigrationStatus", "-Database", "sqlite:" + file);
        Assert.False(waiter.Process.HasExited, "the waiter waits for the holder instead of reading its row as Failed");
        Assert.True(whileAlive.Output.Contains("Running", StringComparison.Ordinal), whileAlive.Output + whileAlive.Error);
        Assert.DoesNotContain("Failed", whileAlive.Output, StringComparison.Ordinal);

        holder.Kill();
        var waited = waiter.Wait(TimeSpan.FromSeconds(120));

        Assert.Equal(1, waited.ExitCode);
        Assert.Contains("FailedMigrationBlocks", waited.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("MigrationLockTimeout", waited.Error, StringComparison.Ordinal);
        Assert.Equal("Failed", SqliteScalar(file, "SELECT state FROM schema_migrations WHERE version = '1.0.1'"));
        Assert.Contains("INSERT INTO big", (string)SqliteScalar(file, "SELECT failed_statement FROM schema_migrations WHERE version = '1.0.1'")!, StringComparison.Ordinal);
        var next = TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", "sqlite:" + file, "-LockTimeout", "5");
        Assert.Contains("FailedMigrationBlocks", next.Error, StringComparison.Ordinal);
        var afterDeath = TbmProcess.Run(folder.Path, null, "Get-MigrationStatus", "-Database", "sqlite:" + file);
        Assert.Contains("Failed", afterDeath.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Running", afterDeath.Output, StringComparison.Ordinal);
        Record("sqlite run lock: SIGKILL of the holder mid-backfill released the lock at once; the waiter and the next run were told the migration is Failed");
    }
}
