using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// <para type="synopsis">Applies pending migrations in version order, each in its own transaction with its history row.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationResult))]
public sealed class InvokeMigrationCommand : RunCommandBase
{
    private readonly List<string> pipedVersions = [];

    /// <summary>Apply up to and including this version (default: all pending). Piped status objects set it to the newest piped version.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Version")]
    [ValidateNotNullOrEmpty]
    public string? TargetVersion { get; set; }

    /// <summary>Run even though applied migrations changed since they ran (refused in a protected environment).</summary>
    [Parameter]
    public SwitchParameter AllowModified { get; set; }

    /// <summary>Apply pending migrations older than the newest applied one (refused in a protected environment).</summary>
    [Parameter]
    public SwitchParameter AllowOutOfOrder { get; set; }

    protected override string Activity => "Applying migrations";

    protected override void ProcessRecord()
    {
        if (TargetVersion is not null)
        {
            pipedVersions.Add(TargetVersion);
        }
    }

    protected override void EndProcessing() => Execute();

    private protected override void ValidateParameters()
    {
        _ = Options();
        if (Resolved.IsProtected && (AllowModified || AllowOutOfOrder))
        {
            var name = AllowModified ? "-AllowModified" : "-AllowOutOfOrder";
            throw new MigrationException(MigrationErrorKind.PlanRefused, "ProtectedEnvironmentOverrideRefused",
                $"{name} is refused in the protected environment '{Resolved.Environment!.Name}': modified and out-of-order migrations are never overridden there.")
            {
                RecommendedAction = "Repair instead: restore the applied migration's file (or record the change with Repair-Migration), or give the pending migration a version newer than the newest applied one.",
            };
        }
    }

    private protected override MigrationPlan Plan(MigrationEngine engine) => engine.PlanUp(Options(), Cancellation);

    private protected override IReadOnlyList<StepResult> Run(MigrationEngine engine, CmdletMigrationObserver observer, Action<MigrationPlan> planned) =>
        engine.Migrate(Options(), observer, planned, Cancellation);

    private protected override bool Confirm(MigrationEngine engine, MigrationPlan plan) =>
        ShouldProcess(engine.Target.DisplayName, $"Apply {plan.Steps.Count} migration(s): {Describe(plan)}");

    private UpOptions Options()
    {
        var versions = pipedVersions.Select(ParseVersion).ToList();
        return new UpOptions(versions.Count == 0 ? null : versions.Max(), AllowModified, AllowOutOfOrder);
    }

    private static Engine.Catalog.MigrationVersion ParseVersion(string text) =>
        Engine.Catalog.MigrationVersion.TryParse(text, out var version, out var problem)
            ? version
            : throw new MigrationException(MigrationErrorKind.InvalidArgument, "InvalidTargetVersion", $"-TargetVersion: {problem}.");
}
