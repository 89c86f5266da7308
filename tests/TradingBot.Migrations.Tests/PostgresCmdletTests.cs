using System.Management.Automation;
using Npgsql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// The cmdlets against a real PostgreSQL, through a password-bearing URL. This test process also loads
/// its own Npgsql 8 into the default load context, as another module in the session would.
/// </summary>
public sealed class PostgresCmdletTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;
    private readonly string connectionString;
    private readonly string url;

    public PostgresCmdletTests()
    {
        session = new PowerShellSession(folder.Path);
        if (PostgresCluster.SkipReason is not null)
        {
            connectionString = url = string.Empty;
            return;
        }

        connectionString = PostgresCluster.CreateDatabase("cmdlets");
        url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString));
        folder.Write("1.0.1__create-trades.up.sql", """
            CREATE TABLE trades (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, symbol text NOT NULL);
            CREATE FUNCTION trade_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM trades; $$;
            INSERT INTO trades (symbol) VALUES ('x;y');
            """);
        folder.Write("1.0.1__create-trades.down.sql", "DROP FUNCTION trade_count();\nDROP TABLE trades;\n");
        folder.Write("1.0.2__index-symbol.up.sql", "-- transaction: none\nCREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);\n");
        folder.Write("1.0.2__index-symbol.down.sql", "-- transaction: none\nDROP INDEX CONCURRENTLY trades_symbol_idx;\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [RequiresPostgresFact]
    public void Applies_and_rolls_back_through_a_password_url_beside_another_Npgsql()
    {
        using (var other = new NpgsqlConnection(connectionString))
        {
            other.Open(); // Npgsql 8 from the test's own folder, in the default context
            Assert.StartsWith("8.", typeof(NpgsqlConnection).Assembly.GetName().Version!.ToString(), StringComparison.Ordinal);
        }

        var applied = session.Run($"Invoke-Migration -Database '{url}'").ThrowOnError();
        var status = session.Run($"Get-MigrationStatus -Database '{url}'").ThrowOnError();
        var undone = session.Run($"Undo-Migration -All -Database '{url}' -Force").ThrowOnError();

        Assert.Equal(["1.0.1", "1.0.2"], applied.Output.Select(o => o.Properties["Version"].Value.ToString()));
        Assert.All(status.Output, s => Assert.Equal("Applied", s.Properties["State"].Value.ToString()));
        Assert.Equal($"postgres://{PostgresCluster.User}@{PostgresCluster.Host}:{PostgresCluster.Port}/{PostgresCluster.DatabaseNameOf(connectionString)}", status.Output[0].Properties["Target"].Value);
        Assert.Equal(["1.0.2", "1.0.1"], undone.Output.Select(o => o.Properties["Version"].Value.ToString()));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'trades'"));
    }

    [RequiresPostgresFact]
    public void The_password_appears_in_no_stream_object_error_or_history_row()
    {
        var password = PostgresCluster.Password;
        folder.Write("1.0.3__broken.up.sql", "SELECT 1;\nSELECT * FROM no_such_table;\n");

        var run = session.Run($"Invoke-Migration -Database '{url}' -Verbose -Debug; Get-MigrationStatus -Database '{url}' -Verbose");
        var badPassword = session.Run($"Get-MigrationStatus -Database '{url.Replace(password, "wrong-" + password, StringComparison.Ordinal)}'");
        var unreachable = session.Run($"Get-MigrationStatus -Database 'postgres://u:{password}@127.0.0.1:1/db?connect_timeout=2'");

        Assert.NotNull(run.Error);
        Assert.Equal("ConnectionFailed,TradingBot.Migrations.Commands.GetMigrationStatusCommand", badPassword.Error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, unreachable.Error?.CategoryInfo.Category);
        Assert.Contains("127.0.0.1:1", unreachable.Error!.Exception.Message, StringComparison.Ordinal);
        foreach (var result in new[] { run, badPassword, unreachable })
        {
            Assert.DoesNotContain(password, result.AllText(), StringComparison.Ordinal);
        }

        var history = Scalar("SELECT string_agg(concat_ws('|', version, name, checksum, applied_by, failed_statement), ';') FROM schema_migrations")?.ToString();
        Assert.DoesNotContain(password, history ?? string.Empty, StringComparison.Ordinal);

        var reports = session.Run(
            $"Get-MigrationStatus -Database '{url}' | Export-MigrationReport -Format Json -Path ./reports/status.json; " +
            $"Get-MigrationStatus -Database '{url}' | Export-MigrationReport -Format JUnit -Path ./reports/status.xml; " +
            $"Get-MigrationStatus -Database '{url}' | Export-MigrationReport -Format Markdown -Path ./reports/status.md; " +
            $"Test-MigrationSafety -Database '{url}' -JUnitPath ./reports/safety.xml -JsonPath ./reports/safety.json");
        Assert.Null(reports.Error);
        var written = Directory.GetFiles(Path.Combine(folder.Path, "reports"));
        Assert.Equal(5, written.Length);
        Assert.All(written, file => Assert.DoesNotContain(password, File.ReadAllText(file), StringComparison.Ordinal));
        Assert.Contains(PostgresCluster.DatabaseNameOf(connectionString), File.ReadAllText(Path.Combine(folder.Path, "reports", "status.json")), StringComparison.Ordinal);
    }

    [RequiresPostgresFact]
    public void Stopping_a_run_cancels_the_statement_rolls_back_and_releases_the_lock()
    {
        folder.Write("1.0.3__slow.up.sql", "CREATE TABLE slow_marker (id int);\nSELECT pg_sleep(60);\n");
        session.Run($"Invoke-Migration -Database '{url}' -TargetVersion 1.0.2").ThrowOnError();

        using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(folder.Path));
        using var shell = PowerShell.Create(runspace);
        shell.AddScript($"Import-Module '{RepositoryPaths.Manifest}'; Invoke-Migration -Database '{url}'");
        var pending = shell.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Convert.ToInt64(Scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()"), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the slow migration never started");
            Thread.Sleep(100);
        }

        shell.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the run did not stop");

        Assert.Equal(0L, Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'slow_marker'"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        Assert.Equal(["Applied", "Applied", "Pending"],
            session.Run($"Get-MigrationStatus -Database '{url}'").ThrowOnError().Output.Select(s => s.Properties["State"].Value.ToString()));
    }

    [RequiresPostgresFact]
    public void Two_processes_migrating_at_once_apply_each_migration_exactly_once()
    {
        for (var i = 3; i < 23; i++)
        {
            folder.Write($"1.0.{i}__step-{i}.up.sql", $"CREATE TABLE step_{i} (id int);\nINSERT INTO step_{i} VALUES ({i});\n");
        }

        var runs = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => TbmProcess.Run(folder.Path, null, "Invoke-Migration", "-Database", url)))
            .ToArray();
        Task.WaitAll(runs);

        Assert.All(runs, r => Assert.True(r.Result.ExitCode == 0, r.Result.Error));
        Assert.Equal(22L, Scalar("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(22, runs.Sum(r => r.Result.Output.Split('\n').Count(l => l.Contains("Succeeded", StringComparison.Ordinal))));
    }

    private object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
