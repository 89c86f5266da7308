using System.Globalization;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// A PostgreSQL cluster of one test class's own, to stop and start (an immediate shutdown mid-run) and to serve TLS
/// with a throwaway self-signed certificate on 127.0.0.1: a <see cref="ThrowawayPostgres"/> with TLS settings.
/// </summary>
internal sealed class DedicatedPostgres : IDisposable
{
    private readonly ThrowawayPostgres cluster;

    private DedicatedPostgres(ThrowawayPostgres cluster) => this.cluster = cluster;

    public string Directory => cluster.Directory;

    public int Port => cluster.Port;

    public string Password => cluster.Password;

    /// <summary>The CA that signed the server certificate (when started with TLS).</summary>
    public string RootCertificate => Path.Combine(Directory, "root.crt");

    /// <summary>Another CA that signed nothing this server shows.</summary>
    public string OtherRootCertificate => Path.Combine(Directory, "other-root.crt");

    public static DedicatedPostgres Start(bool tls) => new(ThrowawayPostgres.Start(new ThrowawayPostgresOptions
    {
        DirectoryPrefix = "tbm-dedicated-",
        Fsync = false,
        Configure = tls ? MakeCertificates : null,
    }));

    public string UrlFor(string database, string query = "") => string.Create(CultureInfo.InvariantCulture, $"postgres://postgres:{Password}@127.0.0.1:{Port}/{database}{query}");

    public string ConnectionStringFor(string database) => cluster.ConnectionStringFor(database) + ";Pooling=false";

    /// <summary>A new empty database (each test its own: the cluster is shared by a test class).</summary>
    public string CreateDatabase(string name)
    {
        ReliabilityKit.PgScalar(ConnectionStringFor("postgres"), $"CREATE DATABASE {name}");
        return name;
    }

    public void StartServer() => cluster.StartServer();

    /// <summary>An immediate shutdown: the server processes quit at once, as in a crash; recovery runs on the next start.</summary>
    public void StopImmediately() => cluster.StopImmediately();

    public void Dispose() => cluster.Dispose();

    // A root CA, a server certificate it signs for IP 127.0.0.1, and an unrelated root CA.
    private static string MakeCertificates(ThrowawayPostgres cluster)
    {
        const string script = """
            set -e
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=tbm-test-root' -keyout root.key -out root.crt
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=tbm-other-root' -keyout other-root.key -out other-root.crt
            openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr
            printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
            openssl x509 -req -in server.csr -CA root.crt -CAkey root.key -CAcreateserial -days 2 -extfile san.ext -out server.crt
            chmod 600 server.key
            chmod 644 root.crt other-root.crt
            """;
        cluster.RunAsOwner("sh", "-c", $"cd '{cluster.Directory}' && {{ {script}\n}} 2>&1");
        return $"ssl = on\nssl_cert_file = '{Path.Combine(cluster.Directory, "server.crt")}'\nssl_key_file = '{Path.Combine(cluster.Directory, "server.key")}'\n";
    }
}
