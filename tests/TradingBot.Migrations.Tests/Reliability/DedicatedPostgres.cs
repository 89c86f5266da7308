using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// A PostgreSQL cluster of one test's own, to stop and start (an immediate shutdown mid-run) and to serve TLS
/// with a throwaway self-signed certificate on 127.0.0.1. Same approach as tests/Shared/PostgresCluster.cs: a
/// temp directory, a free port, password (SCRAM) logins, run as the postgres OS user when the tests run as root.
/// </summary>
internal sealed class DedicatedPostgres : IDisposable
{
    private readonly string binaries;
    private readonly bool asPostgres = Environment.IsPrivilegedProcess;

    private DedicatedPostgres(string binaries, string directory)
    {
        this.binaries = binaries;
        Directory = directory;
    }

    public string Directory { get; }

    public int Port { get; private set; }

    public string Password { get; } = RandomNumberGenerator.GetHexString(24, lowercase: true);

    /// <summary>The CA that signed the server certificate (when started with TLS).</summary>
    public string RootCertificate => Path.Combine(Directory, "root.crt");

    /// <summary>Another CA that signed nothing this server shows.</summary>
    public string OtherRootCertificate => Path.Combine(Directory, "other-root.crt");

    private string Data => Path.Combine(Directory, "data");

    /// <summary>The server binaries, or null where there are none (the test then skips or fails like the others).</summary>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = System.IO.Directory.Exists(root)
            ? System.IO.Directory.EnumerateDirectories(root).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    public static DedicatedPostgres Start(bool tls)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql");
        string directory;
        if (Environment.IsPrivilegedProcess)
        {
            directory = Run("runuser", ["-u", "postgres", "--", "mktemp", "-d", "/tmp/tbm-dedicated-XXXXXX"]).Trim();
        }
        else
        {
            directory = System.IO.Directory.CreateTempSubdirectory("tbm-dedicated-").FullName;
        }

        var cluster = new DedicatedPostgres(binaries, directory);
        try
        {
            cluster.Initialize(tls);
            cluster.StartServer();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public string UrlFor(string database, string query = "") => string.Create(CultureInfo.InvariantCulture, $"postgres://postgres:{Password}@127.0.0.1:{Port}/{database}{query}");

    public string ConnectionStringFor(string database) => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database};Pooling=false");

    /// <summary>A new empty database (each test its own: the cluster is shared by a test class).</summary>
    public string CreateDatabase(string name)
    {
        ReliabilityKit.PgScalar(ConnectionStringFor("postgres"), $"CREATE DATABASE {name}");
        return name;
    }

    public void StartServer() => AsOwner(Path.Combine(binaries, "pg_ctl"), "-D", Data, "-l", Path.Combine(Directory, "server.log"), "-w", "-t", "60", "start");

    /// <summary>An immediate shutdown: the server processes quit at once, as in a crash; recovery runs on the next start.</summary>
    public void StopImmediately() => AsOwner(Path.Combine(binaries, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "-t", "30", "stop");

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            {
                StopImmediately();
            }
        }
        catch (InvalidOperationException)
        {
            // Best effort.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Initialize(bool tls)
    {
        var passwordFile = Path.Combine(Directory, "pwfile");
        AsOwnerWrite(passwordFile, Password + "\n");
        AsOwner(Path.Combine(binaries, "initdb"), "-D", Data, "-U", "postgres", "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale");
        Port = FreePort();
        var conf = string.Create(CultureInfo.InvariantCulture, $"\nlisten_addresses = '127.0.0.1'\nport = {Port}\nunix_socket_directories = '{Directory}'\nfsync = off\n");
        if (tls)
        {
            MakeCertificates();
            conf += $"ssl = on\nssl_cert_file = '{Path.Combine(Directory, "server.crt")}'\nssl_key_file = '{Path.Combine(Directory, "server.key")}'\n";
        }

        AsOwner("sh", "-c", $"cat >> '{Path.Combine(Data, "postgresql.conf")}' <<'CONF'\n{conf}\nCONF\n");
    }

    // A root CA, a server certificate it signs for IP 127.0.0.1, and an unrelated root CA.
    private void MakeCertificates()
    {
        var script = """
            set -e
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=tbm-test-root' -keyout root.key -out root.crt
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=tbm-other-root' -keyout other-root.key -out other-root.crt
            openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr
            printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
            openssl x509 -req -in server.csr -CA root.crt -CAkey root.key -CAcreateserial -days 2 -extfile san.ext -out server.crt
            chmod 600 server.key
            chmod 644 root.crt other-root.crt
            """;
        AsOwner("sh", "-c", $"cd '{Directory}' && {{ {script}\n}} 2>&1");
    }

    private void AsOwnerWrite(string path, string content) =>
        AsOwner("sh", "-c", $"cat > '{path}' <<'EOF'\n{content}EOF\n");

    private string AsOwner(string program, params string[] arguments) =>
        asPostgres ? Run("runuser", ["-u", "postgres", "--", program, .. arguments]) : Run(program, arguments);

    private static string Run(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(program + " did not finish");
        }

        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result} {output.Result}");
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
