using Xunit;

namespace TradingBot.Migrations.Testing;

/// <summary>The scratch databases (tbm_scratch_...) that a lock trace or a schema replay makes on the test cluster.</summary>
public static class ScratchDatabases
{
    public static string[] Names() =>
        PostgresCluster.ExecuteAdminSql("SELECT datname FROM pg_database WHERE datname LIKE 'tbm\\_scratch\\_%' ORDER BY datname")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Every scratch database made since <paramref name="before"/> is gone. Compared by name, waiting a little: both test
    /// assemblies run at once on one cluster, and a scratch database another test made meanwhile (then dropped by its
    /// owner) is not this call's leftover; nor is one that another test dropped meanwhile.
    /// </summary>
    public static void AssertNoneLeft(IReadOnlyCollection<string> before) => AssertNoneLeft(before, Names);

    /// <summary>The same over another listing of scratch places (a schema replay's scratch folders on SQLite).</summary>
    public static void AssertNoneLeft(IReadOnlyCollection<string> before, Func<IEnumerable<string>> names)
    {
        var made = names().Except(before).ToList();
        for (var wait = 0; made.Count > 0 && wait < 50; wait++)
        {
            Thread.Sleep(200);
            made = names().Intersect(made).ToList();
        }

        Assert.Empty(made);
    }
}
