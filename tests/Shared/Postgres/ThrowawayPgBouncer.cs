using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TradingBot.Migrations.Testing;

/// <summary>How a PgBouncer hands server connections to its clients (its <c>pool_mode</c>).</summary>
public enum PgBouncerPoolMode
{
    Session,
    Transaction,
}

/// <summary>
/// A PgBouncer of the tests' own in front of a PostgreSQL server: 127.0.0.1 on a free port, every database passed
/// through, scram-sha-256 for the server's user and password (so the same URL works with the pooler's port), a pool of
/// the given size per database. Run as the <c>postgres</c> OS user when the tests run as
/// root (PgBouncer refuses root). A shell holds it and stops it when its standard input closes, which happens however
/// this process exits, so a killed test host leaves no pooler behind.
/// </summary>
internal sealed class ThrowawayPgBouncer : IDisposable
{
    private const string OsUser = "postgres";
    private readonly Process holder;

    private ThrowawayPgBouncer(Process holder, string directory, int port, PgBouncerPoolMode mode)
    {
        this.holder = holder;
        Directory = directory;
        Port = port;
        Mode = mode;
    }

    public string Directory { get; }

    public int Port { get; }

    public PgBouncerPoolMode Mode { get; }

    public string LogFile => Path.Combine(Directory, "pgbouncer.log");

    /// <summary>The pgbouncer program (Debian's package puts it in /usr/sbin), or null where it is not installed.</summary>
    public static string? FindBinary() => Places.FirstOrDefault(File.Exists);

    private static readonly string[] Places = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

    public static ThrowawayPgBouncer Start(string serverHost, int serverPort, string user, string password, PgBouncerPoolMode mode, int poolSize)
    {
        var binary = FindBinary() ?? throw new InvalidOperationException("pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run does)");
        var asPostgres = Environment.IsPrivilegedProcess;
        var directory = MakeDirectory(asPostgres);
        var lastError = string.Empty;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var port = FreePort();
            File.WriteAllText(Path.Combine(directory, "userlist.txt"), $"\"{user}\" \"{password.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
            File.WriteAllText(Path.Combine(directory, "pgbouncer.ini"), string.Create(CultureInfo.InvariantCulture, $"""
                [databases]
                * = host={serverHost} port={serverPort}

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = {port}
                unix_socket_dir =
                auth_type = scram-sha-256
                auth_file = {Path.Combine(directory, "userlist.txt")}
                pool_mode = {mode.ToString().ToLowerInvariant()}
                default_pool_size = {poolSize}
                max_client_conn = 400
                ignore_startup_parameters = extra_float_digits,search_path
                logfile = {Path.Combine(directory, "pgbouncer.log")}
                log_connections = 0
                log_disconnections = 0

                """));
            var holder = StartHolder(binary, directory, asPostgres);
            if (WaitForListener(port, holder, TimeSpan.FromSeconds(20)))
            {
                return new ThrowawayPgBouncer(holder, directory, port, mode);
            }

            Stop(holder);
            lastError = File.Exists(Path.Combine(directory, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(directory, "pgbouncer.log")) : "(no log)";
        }

        throw new InvalidOperationException("pgbouncer did not start: " + lastError);
    }

    public void Dispose()
    {
        Stop(holder);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static Process StartHolder(string binary, string directory, bool asPostgres)
    {
        const string script = """pgbouncer_bin="$1"; "$pgbouncer_bin" "$2" </dev/null >/dev/null 2>&1 & child=$!; cat >/dev/null; kill "$child"; wait "$child" """;
        var info = new ProcessStartInfo(asPostgres ? "runuser" : "sh")
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        var arguments = asPostgres ? new List<string> { "-u", OsUser, "--", "sh" } : [];
        arguments.AddRange(["-c", script, "tbm-pgbouncer", binary, Path.Combine(directory, "pgbouncer.ini")]);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start pgbouncer");
    }

    private static void Stop(Process holder)
    {
        try
        {
            holder.StandardInput.Close();
            if (!holder.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                holder.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Already gone.
        }

        holder.Dispose();
    }

    private static bool WaitForListener(int port, Process holder, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !holder.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    private static string MakeDirectory(bool asPostgres)
    {
        if (!asPostgres)
        {
            return System.IO.Directory.CreateTempSubdirectory("tbm-pgbouncer-").FullName;
        }

        var made = ProcessRunner.Run("runuser", ["-u", OsUser, "--", "mktemp", "-d", "/tmp/tbm-pgbouncer-XXXXXX"], workingDirectory: "/tmp");
        return made.ExitCode == 0
            ? made.StandardOutput.Trim()
            : throw new InvalidOperationException($"runuser -u {OsUser} mktemp failed: {made.StandardError.Trim()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
