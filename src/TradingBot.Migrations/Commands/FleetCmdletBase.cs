using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Fleet;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// What every cmdlet that takes many targets shares: -Database and -Environment as lists and pipeline input, -ThrottleLimit,
/// -Shard, and the one driver (<see cref="ForEachTarget"/>) that does a target's work once, exactly as a single-target cmdlet
/// always did, or over the fleet with each target's output tagged and its failure reported.
/// </summary>
public abstract class FleetCmdletBase : MigrationCmdletBase
{
    /// <summary>
    /// One database or many: URLs, connection strings, sqlite: paths or .db files, from the command line or the pipeline
    /// (strings, objects with a Database or ConnectionString property, Import-Csv rows). Many run as a fleet, up to -ThrottleLimit at once.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ConnectionString", "Url")]
    [ValidateNotNullOrEmpty]
    public new DatabaseArgument[]? Database { get; set; }

    /// <summary>One or more named environments of migrations.psd1 (dev, qa, prod), each one database or a list; -Database wins over it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Configuration.EnvironmentNameCompleter))]
    public new string[]? Environment { get; set; }

    /// <summary>With many targets: how many run at once, each on its own connection (and lock, where it takes one); default 4.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = FleetOptions.DefaultThrottleLimit;

    /// <summary>Only this node's share of the targets: i/n (2/4 is the second of four), or CircleCI (CIRCLE_NODE_INDEX and CIRCLE_NODE_TOTAL).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Shard { get; set; }

    /// <summary>The targets given on the command line and piped; a derived cmdlet's ProcessRecord adds each object's through base.ProcessRecord.</summary>
    private protected FleetTargetList Targets { get; } = new();

    /// <summary>
    /// The fleet's failure policy. A reader's default: every target is read, whatever another did (a read changes nothing,
    /// and one unreachable tenant must not hide the rest); the cmdlets that change databases give theirs.
    /// </summary>
    private protected virtual FleetOptions FleetOptions => new(ThrottleLimit, ContinueOnError: true);

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Targets.AddCommandLine(Database, Environment);
    }

    protected override void ProcessRecord() => Targets.AddPiped(Database);

    /// <summary>
    /// Does <paramref name="work"/> on every target: on one (at most one -Database and one -Environment, no -Shard or -Canary)
    /// on the pipeline thread exactly as before fleets, with a null run; on many, through the fleet, each target its own run.
    /// <paramref name="check"/> sees every resolved target first: it throws to refuse the command before anything runs.
    /// Engine errors become ErrorRecords; a fleet with failed targets ends in FleetTargetsFailed.
    /// </summary>
    private protected void ForEachTarget(string activity, Action<IReadOnlyList<ResolvedTarget>> check, Action<ResolvedTarget, FleetTargetRun?> work) => Guard(() =>
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(work);
        if (TakeSingleTarget())
        {
            // Resolving the target first: an unknown environment, a missing variable or a bad configuration file stops everything here.
            check([Resolved]);
            work(Resolved, null);
            return;
        }

        var targets = ResolveFleet();
        check(targets);
        // See FleetHost: what must happen on the pipeline thread (PowerShell migrations) goes through its dispatcher.
        new FleetHost(this, $"{activity} on {targets.Count} target(s)").Run(targets, FleetOptions, work, dispatcher => Dispatcher = dispatcher, Cancellation);
    });

    /// <summary>
    /// Whether this runs as a single-target cmdlet (exactly as before fleets): at most one database or environment, and
    /// neither -Shard nor -Canary. Then the one-target -Database and -Environment are set from <see cref="Targets"/>.
    /// </summary>
    private bool TakeSingleTarget()
    {
        if (!Targets.IsSingle || MyInvocation.BoundParameters.ContainsKey("Shard") || MyInvocation.BoundParameters.ContainsKey("Canary"))
        {
            return false;
        }

        base.Database = Targets.OnlyDatabase;
        base.Environment = Targets.OnlyEnvironment;
        try
        {
            // A list environment (or DefaultEnvironment) is a fleet too.
            return EnvironmentResolver.ResolveAll(Request(base.Database, base.Environment)).Count == 1;
        }
        catch (MigrationException)
        {
            return true; // the single-target run reports it, as it always did
        }
    }

    /// <summary>
    /// The targets of a fleet run: each -Database, then each -Environment (none given: the single target's precedence), each
    /// database once, then the shard's share of them.
    /// </summary>
    private List<ResolvedTarget> ResolveFleet()
    {
        var resolved = Targets.Databases.SelectMany(d => ResolveAll(d, null)).Concat(Targets.Environments.SelectMany(e => ResolveAll(null, e))).ToList();
        if (resolved.Count == 0)
        {
            resolved.AddRange(ResolveAll(null, null));
        }

        var distinct = MigrationUseCases.DistinctTargets(resolved.Select(r => r.Target)).ToHashSet();
        resolved = resolved.Where(r => distinct.Remove(r.Target)).ToList();
        if (Shard is null)
        {
            return resolved;
        }

        var split = FleetShard.Parse(Shard, System.Environment.GetEnvironmentVariable);
        WriteVerbose($"Shard {split}: {resolved.Count(r => split.Contains(r.Target))} of {resolved.Count} target(s).");
        return resolved.Where(r => split.Contains(r.Target)).ToList();
    }

    /// <summary>Refuses what acts on one database (<paramref name="what"/>, as a clause) when <paramref name="targets"/> are more.</summary>
    private protected static void RefuseMany(IReadOnlyList<ResolvedTarget> targets, string what, string instead)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count > 1)
        {
            throw new MigrationException(MigrationErrors.OneTargetOnly,
                $"{what}, and this command has {targets.Count} targets: pass one -Database or environment{instead}.");
        }
    }
}
