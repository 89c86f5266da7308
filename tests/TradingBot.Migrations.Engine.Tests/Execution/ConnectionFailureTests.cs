using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>Connections that fail: a clear, bounded error naming host and port, never the password.</summary>
public sealed class ConnectionFailureTests : EngineTestBase
{
    private const string Password = "S3cr3t!p@ss";
    private const string EncodedPassword = "S3cr3t%21p%40ss";

    private static void AssertNoPassword(string text)
    {
        Assert.DoesNotContain("S3cr3t", text, StringComparison.Ordinal);
        Assert.DoesNotContain(EncodedPassword, text, StringComparison.OrdinalIgnoreCase);
    }

    private MigrationException OpenFails(string database)
    {
        var settings = new EngineSettings(DatabaseTargetParser.Parse(database, Folder.Path), Folder.Path);
        return Assert.Throws<MigrationException>(() => MigrationEngine.Open(settings, CancellationToken.None).Dispose());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public void An_unreachable_server_fails_with_ConnectionFailed_naming_host_and_port_but_not_the_password()
    {
        var port = ClosedPort();
        var watch = Stopwatch.StartNew();

        var error = OpenFails($"postgres://deployer:{EncodedPassword}@127.0.0.1:{port}/app?connect_timeout=2");

        Assert.Equal("ConnectionFailed", error.ErrorId);
        Assert.Equal(MigrationErrorKind.ConnectionFailed, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("user 'deployer'", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error.Message);
        AssertNoPassword(error.ToString());
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_connect_timeout_bounds_the_wait_for_a_host_that_does_not_answer()
    {
        var watch = Stopwatch.StartNew();

        var error = OpenFails($"postgres://deployer:{EncodedPassword}@10.255.255.1:5432/app?connect_timeout=2");

        Assert.Equal("ConnectionFailed", error.ErrorId);
        Assert.Contains("10.255.255.1:5432", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error.ToString());
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
    }

    [RequiresPostgresFact]
    public void A_wrong_password_fails_with_an_error_that_does_not_contain_it()
    {
        var database = PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("wrong_password"));
        var url = $"postgres://{Uri.EscapeDataString(PostgresCluster.User)}:{EncodedPassword}@{PostgresCluster.Host}:{PostgresCluster.Port}/{database}";

        var error = OpenFails(url);

        Assert.Equal("ConnectionFailed", error.ErrorId);
        Assert.Contains($"{PostgresCluster.Host}:{PostgresCluster.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        AssertNoPassword(error.Message);
        AssertNoPassword(error.ToString());
    }

    [Fact]
    public void A_bad_migrations_folder_fails_before_any_connection_is_attempted()
    {
        Folder.File("1__bad name.up.sql", "SELECT 1;");

        // The server does not exist: the folder error must come first.
        var error = OpenFails($"postgres://u:{EncodedPassword}@127.0.0.1:{ClosedPort()}/app?connect_timeout=2");

        Assert.Equal("InvalidMigrationFileName", error.ErrorId);
    }

    [Fact]
    public void The_target_of_an_engine_shows_no_password()
    {
        var target = DatabaseTargetParser.Parse($"postgres://u:{EncodedPassword}@127.0.0.1:1/app", Folder.Path);

        AssertNoPassword(target.DisplayName);
        AssertNoPassword(target.ToString());
        AssertNoPassword(new EngineSettings(target, Folder.Path).ToString());
    }
}
