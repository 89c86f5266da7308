using System.Globalization;
using System.Text.Json;
using TradingBot.Migrations.Testing;

// start --owner-pid <pid>: starts a ThrowawayPostgres and writes it as JSON (Bin, Folder, Port, Password,
//     ConnectionString); it outlives this process, and is stopped and deleted when process <pid> exits (the caller).
// stop <folder> <bin>: stops it and deletes its folder now.
const string usage = "usage: TestPostgres start --owner-pid <pid> | TestPostgres stop <folder> <bin>";
try
{
    switch (args)
    {
        case ["start", "--owner-pid", var pid] when int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid):
            return Start(ownerPid);
        case ["stop", var folder, var bin]:
            ThrowawayPostgres.Attach(bin, folder).Stop();
            return 0;
        default:
            Console.Error.WriteLine(usage);
            return 2;
    }
}
catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException)
{
    Console.Error.WriteLine("TestPostgres: " + e.Message);
    return 1;
}

static int Start(int ownerProcessId)
{
    var cluster = ThrowawayPostgres.Start(new ThrowawayPostgresOptions { OwnerProcessId = ownerProcessId });
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Bin"] = cluster.Binaries,
        ["Folder"] = cluster.Directory,
        ["Port"] = cluster.Port,
        ["Password"] = cluster.Password,
        ["ConnectionString"] = cluster.ConnectionStringFor("postgres"),
    }));
    return 0;
}
