using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TradingBot.Migrations.Testing;

/// <summary>How a <see cref="ThrowawayPostgres"/> is made.</summary>
internal sealed record ThrowawayPostgresOptions
{
    /// <summary>The temp directory's name starts with this.</summary>
    public string DirectoryPrefix { get; init; } = "tbm-pg-";

    /// <summary>Off for clusters whose data need not survive a machine crash, which is every test's (faster).</summary>
    public bool Fsync { get; init; } = true;

    /// <summary>
    /// The process whose exit stops the cluster and deletes its directory, however it exits (even killed); null for
    /// this process. A detached watchdog notices the exit.
    /// </summary>
    public int? OwnerProcessId { get; init; }

    /// <summary>Runs after initdb, before the first start, and returns more postgresql.conf lines (e.g. TLS).</summary>
    public Func<ThrowawayPostgres, string>? Configure { get; init; }
}

/// <summary>
/// The one way the tests get a PostgreSQL server of their own: a temp directory, 127.0.0.1 on a free port, a random
/// password, scram-sha-256 over TCP, run as the <c>postgres</c> OS user when the tests run as root (PostgreSQL refuses
/// root). Used by the test fixtures (<see cref="PostgresCluster"/>, the reliability tests' dedicated cluster) and, through
/// tests/TestPostgres, by build/TestPostgres.ps1.
/// </summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    public const string Host = "127.0.0.1";
    public const string User = "postgres";
    private const string OsUser = "postgres";

    private readonly bool _runAsPostgres = Environment.IsPrivilegedProcess;
    private Process? _exitWatchdog;
    private int _stopped;

    private ThrowawayPostgres(string binaries, string directory, string password, int port = 0)
    {
        Binaries = binaries;
        Directory = directory;
        Password = password;
        Port = port;
    }

    /// <summary>The folder with initdb, pg_ctl and postgres.</summary>
    public string Binaries { get; }

    /// <summary>The temp directory: data/, server.log and anything a <see cref="ThrowawayPostgresOptions.Configure"/> puts there.</summary>
    public string Directory { get; }

    public string Password { get; }

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>Initializes and starts a new cluster; throws with the reason when it cannot.</summary>
    public static ThrowawayPostgres Start(ThrowawayPostgresOptions options)
    {
        var binaries = PostgresBinaries.FindServer() ?? throw new InvalidOperationException(
            "no PostgreSQL server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/*/bin or on PATH");
        var cluster = new ThrowawayPostgres(binaries, MakeDirectory(options.DirectoryPrefix), RandomNumberGenerator.GetHexString(32, lowercase: true));
        cluster.StartWatchdog(options.OwnerProcessId);
        try
        {
            cluster.Initialize(options);
            return cluster;
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>A cluster another process started (build/TestPostgres.ps1 stops it through a new process).</summary>
    public static ThrowawayPostgres Attach(string binaries, string directory) => new(binaries, directory, string.Empty);

    /// <summary>Npgsql keyword form.</summary>
    public string ConnectionStringFor(string database) => string.Create(
        CultureInfo.InvariantCulture, $"Host={Host};Port={Port};Username={User};Password={Password};Database={database}");

    /// <summary>Starts the server again on its port, e.g. after <see cref="StopImmediately"/>.</summary>
    public void StartServer() => RunAsOwner(Path.Combine(Binaries, "pg_ctl"), "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start");

    /// <summary>An immediate shutdown: the server processes quit at once, as in a crash; recovery runs on the next start.</summary>
    public void StopImmediately() => RunAsOwner(Path.Combine(Binaries, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");

    /// <summary>Runs a program as the cluster's owner in its directory; returns its output, throws when it fails.</summary>
    public string RunAsOwner(string program, params string[] arguments)
    {
        var result = Run(program, arguments, TimeSpan.FromMinutes(3));
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(program)} failed (exit {result.ExitCode}): {result.StandardError.Trim()} {result.StandardOutput.Trim()}"));
    }

    /// <summary>
    /// Stops the cluster and deletes its directory. Where this process's exit is watched this only closes the
    /// watchdog's pipe, which returns at once (the test host is given ~100 ms to exit after the run, too little to
    /// wait for a shutdown) and the watchdog does the rest.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (_exitWatchdog is not null)
        {
            _exitWatchdog.StandardInput.Close();
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                var pgCtl = Path.Combine(Binaries, "pg_ctl");
                if (Run(pgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"]).ExitCode != 0)
                {
                    Run(pgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "15", "stop"]);
                }
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                      or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    public void Dispose() => Stop();

    private static string MakeDirectory(string prefix)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        }

        // Made by postgres itself, so it owns it; /tmp is traversable by everyone.
        var made = ProcessRunner.Run("runuser", ["-u", OsUser, "--", "mktemp", "-d", $"/tmp/{prefix}XXXXXX"], workingDirectory: "/tmp");
        return made.ExitCode == 0
            ? made.StandardOutput.Trim()
            : throw new InvalidOperationException($"runuser -u {OsUser} mktemp failed (is there a '{OsUser}' OS user?): {made.StandardError.Trim()}");
    }

    private void Initialize(ThrowawayPostgresOptions options)
    {
        var passwordFile = Path.Combine(Directory, "pwfile");
        File.WriteAllText(passwordFile, Password + "\n");
        try
        {
            RunAsOwner(Path.Combine(Binaries, "initdb"), "-D", DataDirectory, "-U", User, "--pwfile=" + passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale");
        }
        finally
        {
            File.Delete(passwordFile);
        }

        // The Pester suite runs in one pwsh, which keeps each database's pooled connections (the run's and its lock's) for
        // Npgsql's idle lifetime of 300 s, as a user's session does: some 150 databases within five minutes.
        var settings = string.Create(CultureInfo.InvariantCulture, $"""

            # tbm test throwaway cluster
            listen_addresses = '{Host}'
            unix_socket_directories = '{Directory}'
            max_connections = 500
            fsync = {(options.Fsync ? "on" : "off")}
            {options.Configure?.Invoke(this)}
            """);
        var lastError = string.Empty;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Port = FreePort();
            // Later settings win, so a retry only appends a new port.
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), settings + $"\nport = {Port}\n");
            settings = string.Empty;
            var start = Run(Path.Combine(Binaries, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90));
            if (start.ExitCode == 0)
            {
                return;
            }

            lastError = start.StandardError.Trim() + " " + TailOf(LogFile);
        }

        throw new InvalidOperationException("pg_ctl start failed: " + lastError);
    }

    private ProcessResult Run(string program, IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        _runAsPostgres
            ? ProcessRunner.Run("runuser", ["-u", OsUser, "--", program, .. arguments], workingDirectory: Directory, timeout: timeout)
            : ProcessRunner.Run(program, arguments, workingDirectory: Directory, timeout: timeout);

    /// <summary>
    /// A detached shell (its own session, so killing the owner's process tree spares it) that waits for the owner to
    /// exit, then stops the cluster and deletes its directory. This process is watched through a pipe whose writing
    /// end only it holds (end-of-file however it exits); another process by polling its id.
    /// </summary>
    private void StartWatchdog(int? ownerProcessId)
    {
        const string script = """
            exec >/dev/null 2>&1
            if [ -n "$4" ]; then exec </dev/null; while kill -0 "$4"; do sleep 1; done; else cat >/dev/null; fi
            if [ "$3" = yes ]; then as_owner() { runuser -u postgres -- "$@"; }; else as_owner() { "$@"; }; fi
            if [ -f "$2/data/postmaster.pid" ]; then
                as_owner "$1/pg_ctl" -D "$2/data" -m fast -w -t 30 stop || as_owner "$1/pg_ctl" -D "$2/data" -m immediate -w -t 15 stop
            fi
            rm -rf -- "$2"
            """;
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        var owner = ownerProcessId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        foreach (var argument in new[] { "-f", "sh", "-c", script, "tbm-pg-watchdog", Binaries, Directory, _runAsPostgres ? "yes" : "no", owner })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            // Another owner's watchdog is left running with its pipes open: it ignores them.
            var watchdog = Process.Start(info);
            _exitWatchdog = ownerProcessId is null ? watchdog : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid: Stop() stops the cluster itself, if the owner gives it the time.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string TailOf(string file)
    {
        try
        {
            return File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(10)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
