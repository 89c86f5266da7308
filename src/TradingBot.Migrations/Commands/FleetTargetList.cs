namespace TradingBot.Migrations.Commands;

/// <summary>
/// The -Database and -Environment values a fleet cmdlet was given, from the command line and from every pipeline object
/// (strings, objects with a Database or ConnectionString property, Import-Csv rows), in the order they came.
/// </summary>
internal sealed class FleetTargetList
{
    private readonly List<string> databases = [];
    private readonly List<string> environments = [];

    /// <summary>The databases; when there are none, the environments name the targets (-Database wins, as for one target).</summary>
    public IReadOnlyList<string> Databases => databases;

    public IReadOnlyList<string> Environments => databases.Count > 0 ? [] : environments;

    /// <summary>At most one database and at most one environment: the single-target precedence applies unchanged.</summary>
    public bool IsSingle => databases.Count <= 1 && environments.Count <= 1;

    /// <summary>Neither a database nor an environment was given.</summary>
    public bool IsEmpty => databases.Count == 0 && environments.Count == 0;

    public string? OnlyDatabase => databases.Count == 1 ? databases[0] : null;

    public string? OnlyEnvironment => environments.Count == 1 ? environments[0] : null;

    private DatabaseArgument[]? commandLineDatabase;

    /// <summary>In BeginProcessing: what the command line gave.</summary>
    public void AddCommandLine(DatabaseArgument[]? database, string[]? environment)
    {
        commandLineDatabase = database;
        databases.AddRange(database?.Select(d => d.Value) ?? []);
        environments.AddRange(environment ?? []);
    }

    /// <summary>In ProcessRecord: what one pipeline object bound (PowerShell leaves a command-line value in place for every object).</summary>
    public void AddPiped(DatabaseArgument[]? database)
    {
        if (!ReferenceEquals(database, commandLineDatabase))
        {
            databases.AddRange(database?.Select(d => d.Value) ?? []);
        }
    }
}
