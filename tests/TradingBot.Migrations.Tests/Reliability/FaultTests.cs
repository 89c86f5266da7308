using System.Diagnostics;
using System.Management.Automation;
using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>A read-only folder, a read-only SQLite file, a connection dropped mid-query: clear errors, nothing corrupted.</summary>
[Collection(ReliabilityGroup.Name)]
public sealed class FaultTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public FaultTests() => session = new PowerShellSession(folder.Path);

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void New_migration_into_a_read_only_folder_fails_clearly_and_writes_nothing()
    {
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        var before = Snapshot(folder.Migrations);
        using (ReadOnly(folder.Migrations))
        {
            var result = session.Run("New-Migration -Name add-column");

            Assert.Equal("MigrationFileNotWritten,TradingBot.Migrations.Commands.NewMigrationCommand", result.Error?.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, result.Error!.CategoryInfo.Category);
            Assert.Contains("Cannot write the migration files in " + folder.Migrations, result.Error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(result.Output);
        }

        Assert.Equal(before, Snapshot(folder.Migrations));
    }

    [Fact]
    public void Invoke_migration_on_a_read_only_sqlite_file_fails_clearly_and_leaves_the_file_intact()
    {
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        session.Run("Invoke-Migration -Database sqlite:app.db").ThrowOnError();
        folder.Write("1.0.2__create-u.up.sql", "CREATE TABLE u (id integer);\n");
        var file = Path.Combine(folder.Path, "app.db");
        var before = FileHash(file);
        ScriptResult result;
        ScriptResult status;
        using (ReadOnly(file))
        {
            result = session.Run("Invoke-Migration -Database sqlite:app.db");
            status = session.Run("Get-MigrationStatus -Database sqlite:app.db | ForEach-Object { \"$($_.Version)=$($_.State)\" }");
        }

        Assert.Equal("SqliteDatabaseReadOnly,TradingBot.Migrations.Commands.InvokeMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("cannot be written", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", result.Error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(["1.0.1=Applied", "1.0.2=Pending"], status.ThrowOnError().Output.Select(o => o.BaseObject.ToString()));
        Assert.Equal(before, FileHash(file));
        Assert.Equal("ok", SqliteScalar(file, "PRAGMA integrity_check"));
    }

    [RequiresPostgresFact]
    public void A_connection_dropped_during_get_migration_status_is_a_clear_error()
    {
        var connectionString = PostgresCluster.CreateDatabase("dropped");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        var url = PostgresCluster.UrlFor(database);
        // A history "table" that is a slow view, so the read is in flight long enough to cut the connection under it.
        PostgresCluster.ExecuteSql(database, """
            CREATE TABLE history_rows (version text, name text, checksum text, applied_at timestamptz, applied_by text, execution_ms bigint, state text, failed_statement text);
            INSERT INTO history_rows VALUES ('1.0.1', 'create-t', 'x', now(), 'me', 1, 'Applied', NULL);
            CREATE VIEW schema_migrations AS SELECT * FROM history_rows WHERE pg_sleep(30) IS NOT NULL;
            """);
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");

        using var killer = Task.Run(() =>
        {
            WaitUntil(() => PgCount(connectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%FROM \"schema_migrations\"%' AND state = 'active' AND pid <> pg_backend_pid()") > 0,
                TimeSpan.FromSeconds(60), "the status read");
            PgScalar(connectionString, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'TradingBot.Migrations'");
        });
        var result = session.Run($"Get-MigrationStatus -Database '{url}'");
        killer.Wait();

        // The error itself (57P01, terminated) shows the read ended because its connection was cut.
        Assert.Equal("DatabaseError,TradingBot.Migrations.Commands.GetMigrationStatusCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("PostgreSQL error on postgres://", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.Matches("57P01|terminat", result.Error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.DoesNotContain(PostgresCluster.Password, result.AllText(), StringComparison.Ordinal);
    }

    /// <summary>Read-only even for root (these tests run as root in CI): chattr +i, else chmod.</summary>
    private static Undo ReadOnly(string path)
    {
        if (Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            RunTool("chattr", "+i", path);
            return new Undo(() => RunTool("chattr", "-i", path));
        }

        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new Undo(() =>
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        });
    }

    private static void RunTool(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
