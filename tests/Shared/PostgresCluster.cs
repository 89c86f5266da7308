using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace TradingBot.Migrations.Testing;

/// <summary>
/// The PostgreSQL server that tests run against, one per test process.
/// <list type="bullet">
/// <item>If <c>TBM_TEST_POSTGRES</c> is set (an Npgsql connection string, or a <c>postgres://</c> URL), that server
/// is used; <c>.ci/run</c> sets it to the throwaway cluster it started.</item>
/// <item>Otherwise, where the PostgreSQL server binaries are installed, a throwaway cluster is started on the first
/// use: a temp directory, 127.0.0.1 on a free port, password (SCRAM) authentication, run as the <c>postgres</c> OS
/// user when the tests run as root. It is stopped and deleted when the test process exits (by a detached watchdog
/// that notices the exit, so a killed test host leaves nothing running either).</item>
/// <item>Otherwise the cluster is unavailable: <see cref="RequiresPostgresFactAttribute"/> skips, except in CI
/// (<c>CI=true</c>) or when <c>TBM_TEST_POSTGRES</c> is set, where the tests run and fail.</item>
/// </list>
/// Admin work goes through the <c>psql</c> client binary, so this file depends on no database driver.
/// </summary>
public static class PostgresCluster
{
    /// <summary>The environment variable that names an existing server to use.</summary>
    public const string EnvironmentVariable = "TBM_TEST_POSTGRES";

    private static readonly Lazy<ClusterState> State = new(ClusterState.Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True in CI (<c>CI=true</c> or <c>CI=1</c>), where an unavailable cluster must fail the tests.</summary>
    public static bool IsCi { get; } = IsTruthy(Environment.GetEnvironmentVariable("CI"));

    /// <summary>True where PostgreSQL tests must run, not skip: in CI, or when <c>TBM_TEST_POSTGRES</c> is set.</summary>
    public static bool IsRequired =>
        IsCi || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Starts (or finds) the cluster on first use; false when there is none to be had.</summary>
    public static bool IsAvailable => State.Value.Target is not null;

    /// <summary>Why the cluster is unavailable, or null when it is available.</summary>
    public static string? UnavailableReason => State.Value.Reason;

    /// <summary>
    /// The skip message for a PostgreSQL test, or null when it must run: it runs wherever the cluster is available,
    /// and wherever it is required (then it fails with the reason). Asked where it is not required, it starts the cluster.
    /// </summary>
    public static string? SkipReason =>
        IsRequired || IsAvailable ? null : "PostgreSQL is unavailable: " + UnavailableReason;

    /// <summary>Where the server came from: the environment variable, or the data directory of our own cluster.</summary>
    public static string Description => State.Value.Description;

    public static string Host => Target.Host;

    public static int Port => Target.Port;

    public static string User => Target.User;

    public static string Password => Target.Password;

    /// <summary>The database admin statements run in (normally <c>postgres</c>).</summary>
    public static string AdminDatabase => Target.Database;

    /// <summary>Npgsql keyword form for the admin database.</summary>
    public static string AdminConnectionString => ConnectionStringFor(AdminDatabase);

    /// <summary>Npgsql keyword form: <c>Host=...;Port=...;Username=...;Password=...;Database=...</c>.</summary>
    public static string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var target = Target;
        var builder = new DbConnectionStringBuilder
        {
            ["Host"] = target.Host,
            ["Port"] = target.Port.ToString(CultureInfo.InvariantCulture),
            ["Username"] = target.User,
            ["Password"] = target.Password,
            ["Database"] = database,
        };
        return builder.ConnectionString;
    }

    /// <summary>The same target as a URL: <c>postgres://user:password@host:port/database</c>.</summary>
    public static string UrlFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var target = Target;
        var host = target.Host.Contains(':', StringComparison.Ordinal) ? "[" + target.Host + "]" : target.Host;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"postgres://{Uri.EscapeDataString(target.User)}:{Uri.EscapeDataString(target.Password)}@{host}:{target.Port}/{Uri.EscapeDataString(database)}");
    }

    /// <summary>
    /// Creates a brand-new empty database (from template0) named <c>prefix_</c> plus a random suffix, and returns
    /// its connection string. <see cref="DatabaseNameOf"/> gives the name back.
    /// </summary>
    public static string CreateDatabase(string prefix)
    {
        var state = Available;
        var name = NewDatabaseName(prefix);
        ExecuteAdminSql("CREATE DATABASE " + QuoteIdentifier(name) + " TEMPLATE template0;");
        state.Created.Add(name);
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database, disconnecting anyone still in it. No error if it does not exist.</summary>
    public static void DropDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ExecuteAdminSql("DROP DATABASE IF EXISTS " + QuoteIdentifier(name) + " WITH (FORCE);");
    }

    /// <summary>The <c>Database</c> of an Npgsql keyword connection string.</summary>
    public static string DatabaseNameOf(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.TryGetValue("Database", out var value) && value is string name && name.Length > 0
            ? name
            : throw new ArgumentException("The connection string names no Database.", nameof(connectionString));
    }

    /// <summary>Runs SQL in the admin database through psql; returns its output (unaligned, tuples only, '|' between fields).</summary>
    public static string ExecuteAdminSql(string sql) => ExecuteSql(AdminDatabase, sql);

    /// <summary>Runs SQL in the given database through psql (each statement in its own transaction; stops at the first error).</summary>
    public static string ExecuteSql(string database, string sql)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(sql);
        var state = Available;
        var target = state.Target!;
        var result = RunPsql(state.PsqlPath!, target, database, ["-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], sql);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"psql failed (exit {result.ExitCode}) on {target.Host}:{target.Port}/{database}: {result.StandardError.Trim()}"));
        }

        return result.StandardOutput.TrimEnd('\n', '\r');
    }

    private static ProcessResult RunPsql(string psql, ServerTarget target, string database, IReadOnlyList<string> arguments, string? standardInput) =>
        ProcessRunner.Run(
            psql,
            ["-X", "-w", "-A", "-t", .. arguments],
            standardInput,
            environment: new Dictionary<string, string?>
            {
                ["PGHOST"] = target.Host,
                ["PGPORT"] = target.Port.ToString(CultureInfo.InvariantCulture),
                ["PGUSER"] = target.User,
                ["PGPASSWORD"] = target.Password,
                ["PGDATABASE"] = database,
                ["PGCONNECT_TIMEOUT"] = "10",
                ["PGAPPNAME"] = "tbm-tests",
                ["PGSERVICE"] = null,
                ["PGOPTIONS"] = null,
            },
            timeout: TimeSpan.FromMinutes(2));

    /// <summary>Throws, with the reason, when the cluster is unavailable.</summary>
    public static void EnsureAvailable() => _ = Available;

    private static ServerTarget Target => Available.Target!;

    private static ClusterState Available
    {
        get
        {
            var state = State.Value;
            return state.Target is not null
                ? state
                : throw new InvalidOperationException("PostgreSQL is unavailable for tests: " + state.Reason);
        }
    }

    private static string NewDatabaseName(string prefix)
    {
        var builder = new StringBuilder();
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        var stem = builder.Length == 0 ? "tbm" : builder.ToString(0, Math.Min(builder.Length, 40));
        return stem + "_" + RandomNumberGenerator.GetHexString(12, lowercase: true);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsTruthy(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";

    private sealed record ServerTarget(string Host, int Port, string User, string Password, string Database);

    private sealed class ClusterState
    {
        private ClusterState(ServerTarget? target, string? psqlPath, string? reason, string description)
        {
            Target = target;
            PsqlPath = psqlPath;
            Reason = reason;
            Description = description;
        }

        public ServerTarget? Target { get; }

        public string? PsqlPath { get; }

        public string? Reason { get; }

        public string Description { get; }

        /// <summary>Databases this process created, dropped at exit on a server that outlives the process.</summary>
        public ConcurrentBag<string> Created { get; } = [];

        public static ClusterState Initialize()
        {
            var psql = FindPsql();
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                if (!TryParseTarget(configured, out var target, out var error))
                {
                    return Unavailable($"{EnvironmentVariable} is set but unusable: {error}");
                }

                if (psql is null)
                {
                    return Unavailable("the psql client was not found (install Debian's postgresql-client).");
                }

                var state = new ClusterState(target, psql, null, $"{EnvironmentVariable} ({target.Host}:{target.Port})");
                AppDomain.CurrentDomain.ProcessExit += (_, _) => state.DropCreatedDatabases();
                return state;
            }

            var binaries = FindServerBinaries();
            if (binaries is null)
            {
                return Unavailable(
                    $"{EnvironmentVariable} is not set and no PostgreSQL server binaries (initdb, pg_ctl, postgres) " +
                    "were found under /usr/lib/postgresql/*/bin or on PATH.");
            }

            if (psql is null)
            {
                return Unavailable("the psql client was not found (install Debian's postgresql-client).");
            }

            try
            {
                var cluster = ThrowawayCluster.Start(binaries);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                var state = new ClusterState(cluster.Target, psql, null, "throwaway cluster in " + cluster.Directory);
                try
                {
                    state.ExecuteProbe();
                }
                catch
                {
                    cluster.Stop();
                    throw;
                }

                return state;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                          or TimeoutException or System.ComponentModel.Win32Exception)
            {
                return Unavailable("starting a throwaway cluster failed: " + e.Message);
            }
        }

        private static ClusterState Unavailable(string reason) => new(null, null, reason, "unavailable");

        private void ExecuteProbe()
        {
            // Proves password authentication over TCP works before any test relies on it.
            var result = RunPsql(PsqlPath!, Target!, Target!.Database, ["-c", "select 1"], standardInput: null);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("the new cluster refused a password login: " + result.StandardError.Trim());
            }
        }

        private void DropCreatedDatabases()
        {
            var names = Created.ToArray();
            if (names.Length == 0)
            {
                return;
            }

            try
            {
                ExecuteAdminSql(string.Concat(names.Select(n => "DROP DATABASE IF EXISTS " + QuoteIdentifier(n) + " WITH (FORCE);\n")));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // Best effort at exit: a leftover test database is harmless.
            }
        }

        private static bool TryParseTarget(string value, out ServerTarget target, out string error)
        {
            target = null!;
            error = string.Empty;
            string? host, port, user, password, database;
            value = value.Trim();
            if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
                {
                    error = "not a valid URL.";
                    return false;
                }

                var userInfo = uri.UserInfo.Split(':', 2);
                host = uri.IdnHost;
                port = uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port.ToString(CultureInfo.InvariantCulture);
                user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
                password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null;
                database = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : null;
            }
            else
            {
                DbConnectionStringBuilder builder;
                try
                {
                    builder = new DbConnectionStringBuilder { ConnectionString = value };
                }
                catch (ArgumentException)
                {
                    error = "not a valid connection string.";
                    return false;
                }

                string? Get(params string[] keys) => keys
                    .Select(k => builder.TryGetValue(k, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)
                    .FirstOrDefault(v => !string.IsNullOrEmpty(v));

                host = Get("Host", "Server");
                port = Get("Port");
                user = Get("Username", "User Name", "User ID", "UserId", "User", "UID");
                password = Get("Password", "PWD");
                database = Get("Database", "DB");
            }

            if (string.IsNullOrEmpty(host))
            {
                error = "it names no Host.";
                return false;
            }

            if (string.IsNullOrEmpty(user))
            {
                error = "it names no Username.";
                return false;
            }

            var portNumber = 5432;
            if (port is not null && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber))
            {
                error = "its Port is not a number.";
                return false;
            }

            target = new ServerTarget(host, portNumber, user, password ?? string.Empty, database ?? "postgres");
            return true;
        }

        private static string? FindPsql()
        {
            var candidates = new List<string>();
            candidates.AddRange(SearchPath("psql"));
            candidates.Add("/usr/bin/psql");
            candidates.AddRange(ServerBinaryDirectories().Select(d => Path.Combine(d, "psql")));
            return candidates.FirstOrDefault(File.Exists);
        }

        private static string? FindServerBinaries()
        {
            static bool HasServer(string dir) =>
                File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))
                && File.Exists(Path.Combine(dir, "postgres"));

            var versioned = ServerBinaryDirectories().FirstOrDefault(HasServer);
            if (versioned is not null)
            {
                return versioned;
            }

            // On PATH, possibly as symlinks (pg_ctl finds postgres beside its real path).
            return SearchPath("pg_ctl")
                .Select(p => new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? p)
                .Select(Path.GetDirectoryName)
                .OfType<string>()
                .FirstOrDefault(HasServer);
        }

        /// <summary>/usr/lib/postgresql/N/bin, highest version first.</summary>
        private static List<string> ServerBinaryDirectories()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root))
            {
                return [];
            }

            return Directory.EnumerateDirectories(root)
                .Select(d => (Dir: d, Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .Where(Directory.Exists)
                .ToList();
        }

        private static IEnumerable<string> SearchPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, program))
                .Where(File.Exists);
    }

    /// <summary>A cluster of our own in a temp directory, started once per test process.</summary>
    private sealed class ThrowawayCluster
    {
        private const string OsUser = "postgres";
        private const string SuperUser = "postgres";

        private readonly string _binaries;
        private readonly bool _runAsPostgres;
        private int _stopped;
        private Process? _watchdog;

        private ThrowawayCluster(string binaries, bool runAsPostgres, string directory)
        {
            _binaries = binaries;
            _runAsPostgres = runAsPostgres;
            Directory = directory;
        }

        public string Directory { get; }

        public ServerTarget Target { get; private set; } = null!;

        private string DataDirectory => Path.Combine(Directory, "data");

        public static ThrowawayCluster Start(string binaries)
        {
            // PostgreSQL refuses to run as root: as root, everything runs as the postgres OS user via runuser.
            var runAsPostgres = Environment.IsPrivilegedProcess;
            string directory;
            if (runAsPostgres)
            {
                // Made by postgres itself, so it owns it; /tmp is traversable by everyone.
                var made = ProcessRunner.Run("runuser", ["-u", OsUser, "--", "mktemp", "-d", "/tmp/tbm-pg-XXXXXX"], workingDirectory: "/tmp");
                if (made.ExitCode != 0)
                {
                    throw new InvalidOperationException($"runuser -u {OsUser} mktemp failed (is there a '{OsUser}' OS user?): {made.StandardError.Trim()}");
                }

                directory = made.StandardOutput.Trim();
            }
            else
            {
                directory = System.IO.Directory.CreateTempSubdirectory("tbm-pg-").FullName;
            }

            var cluster = new ThrowawayCluster(binaries, runAsPostgres, directory);
            cluster.StartWatchdog();
            try
            {
                cluster.InitializeAndStart();
                return cluster;
            }
            catch
            {
                cluster.Stop();
                throw;
            }
        }

        /// <summary>
        /// Stops the cluster and deletes its directory. Normally this only closes the watchdog's pipe, which returns
        /// at once: the test host is given ~100 ms to exit after the run, too little to wait for a shutdown.
        /// </summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            if (_watchdog is not null)
            {
                _watchdog.StandardInput.Close();
                return;
            }

            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    var stop = RunAsOwner(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"]);
                    if (stop.ExitCode != 0)
                    {
                        RunAsOwner(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "15", "stop"]);
                    }
                }

                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                          or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Best effort at exit: a leftover temp directory is harmless.
            }
        }

        /// <summary>
        /// A detached shell (its own session, so killing the test host's process tree spares it) that blocks on a pipe
        /// whose writing end only this process holds. When this process exits, however it exits (even killed), the pipe
        /// reaches end-of-file and the shell stops the cluster and deletes its directory.
        /// </summary>
        private void StartWatchdog()
        {
            const string script = """
                exec >/dev/null 2>&1
                cat >/dev/null
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
            foreach (var argument in new[] { "-f", "sh", "-c", script, "tbm-pg-watchdog", _binaries, Directory, _runAsPostgres ? "yes" : "no" })
            {
                info.ArgumentList.Add(argument);
            }

            try
            {
                _watchdog = Process.Start(info);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                _watchdog = null; // No setsid: Stop() stops the cluster itself, if the test host gives it the time.
            }
        }

        private void InitializeAndStart()
        {
            var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var passwordFile = Path.Combine(Directory, "pwfile");
            File.WriteAllText(passwordFile, password + "\n");
            var initdb = RunAsOwner(
                Path.Combine(_binaries, "initdb"),
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile=" + passwordFile, "--auth-local=trust",
                 "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale"],
                TimeSpan.FromMinutes(3));
            File.Delete(passwordFile);
            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException("initdb failed: " + initdb.StandardError.Trim() + initdb.StandardOutput.Trim());
            }

            var log = Path.Combine(Directory, "server.log");
            var lastError = string.Empty;
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                var port = FreePort();
                // Later settings win, so a retry only appends a new port.
                File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), string.Create(
                    CultureInfo.InvariantCulture,
                    $"""

                    # tbm test throwaway cluster
                    listen_addresses = '127.0.0.1'
                    port = {port}
                    unix_socket_directories = '{Directory}'
                    fsync = on
                    synchronous_commit = on

                    """));
                var start = RunAsOwner(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-l", log, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90));
                if (start.ExitCode == 0)
                {
                    Target = new ServerTarget("127.0.0.1", port, SuperUser, password, "postgres");
                    return;
                }

                lastError = start.StandardError.Trim() + " " + TailOf(log);
            }

            throw new InvalidOperationException("pg_ctl start failed: " + lastError);
        }

        private ProcessResult RunAsOwner(string program, IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
            _runAsPostgres
                ? ProcessRunner.Run("runuser", ["-u", OsUser, "--", program, .. arguments], workingDirectory: Directory, timeout: timeout)
                : ProcessRunner.Run(program, arguments, workingDirectory: Directory, timeout: timeout);

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

    private sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

    private static class ProcessRunner
    {
        public static ProcessResult Run(
            string program,
            IReadOnlyList<string> arguments,
            string? standardInput = null,
            IReadOnlyDictionary<string, string?>? environment = null,
            string? workingDirectory = null,
            TimeSpan? timeout = null)
        {
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            if (workingDirectory is not null)
            {
                info.WorkingDirectory = workingDirectory;
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }

            using var process = Process.Start(info)
                ?? throw new InvalidOperationException("could not start " + program);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (standardInput is not null)
            {
                process.StandardInput.Write(standardInput);
            }

            process.StandardInput.Close();
            var limit = timeout ?? TimeSpan.FromMinutes(1);
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {limit.TotalSeconds:0} s");
            }

            process.WaitForExit();
            return new ProcessResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
