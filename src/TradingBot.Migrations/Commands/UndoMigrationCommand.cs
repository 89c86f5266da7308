using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Hosting;
using EngineVersion = TradingBot.Migrations.Engine.Catalog.MigrationVersion;

namespace TradingBot.Migrations.Commands;

/// <summary>Rolls back applied migrations, newest first, each down script in a transaction with the removal of its history row.</summary>
/// <remarks>
/// <para>Rolls back every applied migration newer than -TargetVersion (0 or -All for everything), the newest -Count, or the
/// versions piped in from Get-MigrationStatus (together with everything newer than the oldest of them, so no holes are left).</para>
/// <para>Before touching anything it refuses a range where any migration lacks a down script, is recorded as Failed, or
/// (without -AllowModified) changed since it was applied. ConfirmImpact is High: it asks first unless -Force or -Confirm:$false;
/// in a session that cannot answer (pwsh -NonInteractive, redirected input: CI) it refuses before touching anything (NonInteractiveConfirmation).</para>
/// </remarks>
/// <example>
/// <code>Undo-Migration -TargetVersion 1.0.1 -Confirm:$false</code>
/// <para>Rolls back everything newer than 1.0.1.</para>
/// </example>
/// <example>
/// <code>Get-MigrationStatus | Where-Object Version -gt 1.0.2 | Undo-Migration -Force</code>
/// <para>Rolls back the versions after 1.0.2 picked in the pipeline.</para>
/// </example>
/// <example>
/// <code>Undo-Migration -Count 1 -WhatIf -Verbose</code>
/// <para>Shows which down script would run, and its SQL, without running it.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Undo-Migration -TargetVersion 1.4.0 -ThrottleLimit 8 -Force</code>
/// <para>Rolls every tenant in the list back to 1.4.0, eight at a time; the first failure starts no new tenant.</para>
/// </example>
/// <returns>
/// <para>PSObject: with -AsPlainObject, a flat record (PSCustomObject) per migration instead of a MigrationResult: text versions, enum names, ISO 8601 UTC times, DurationMs.</para>
/// <para>FileInfo: with -ScriptPath, the script it wrote (and no results).</para>
/// </returns>
[Cmdlet(VerbsCommon.Undo, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TargetSet)]
[OutputType(typeof(MigrationResult), typeof(PSObject), typeof(FileInfo))]
public sealed class UndoMigrationCommand : RunCommandBase
{
    private const string TargetSet = "Target";
    private const string CountSet = "Count";
    private const string VersionsSet = "Versions";
    private const string AllSet = "All";

    private readonly List<string> pipedVersions = [];

    /// <summary>Roll back every migration newer than this version; 0 rolls back everything.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string? TargetVersion { get; set; }

    /// <summary>Roll back the newest n applied migrations.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CountSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Versions to roll back (usually piped from Get-MigrationStatus); everything newer than the oldest of them is rolled back too.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = VersionsSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string[]? Version { get; set; }

    /// <summary>Roll back every applied migration.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Roll back even migrations whose files changed since they were applied.</summary>
    [Parameter]
    public SwitchParameter AllowModified { get; set; }

    /// <summary>Do not ask for confirmation (unless -Confirm is given explicitly); required in a protected environment from a non-interactive session.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string Activity => "Rolling back migrations";

    protected override void ProcessRecord()
    {
        if (Version is not null)
        {
            pipedVersions.AddRange(Version);
        }

        base.ProcessRecord();
    }

    protected override void EndProcessing() => Execute();

    private protected override void ValidateParameters(ResolvedTarget resolved)
    {
        _ = Options();
        if (IsPreview)
        {
            return;
        }

        if (resolved.IsProtected && !Force && !Confirmation.CanAsk(this))
        {
            throw new MigrationException(MigrationErrors.ProtectedEnvironmentRequiresForce,
                $"Rolling back in the protected environment '{resolved.Environment!.Name}' from a non-interactive session needs -Force.");
        }

        Confirmation.RefuseIfUnanswerable(this, Force, "Nothing was rolled back.");
    }

    private protected override RunPreview RenderPreview(EngineSettings settings, CancellationToken cancellation) =>
        MigrationUseCases.PreviewUndo(settings, Options(), cancellation);

    private protected override IReadOnlyList<StepResult> Run(EngineSettings settings, Func<IMigrationObserver> observe, Action<MigrationPlan> planned,
        CancellationToken cancellation) =>
        MigrationUseCases.Undo(settings, Options(), observe, planned, cancellation);

    private protected override bool Confirm(ResolvedTarget resolved, MigrationPlan plan)
    {
        var target = resolved.Target;
        var confirmAsked = MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && ((SwitchParameter)confirm).IsPresent;
        if (Force && !confirmAsked)
        {
            return true;
        }

        var description = $"Roll back {plan.Steps.Count} migration(s), newest first: {Describe(plan)}";
        if (!ShouldProcess(target.DisplayName, description))
        {
            return false;
        }

        // A protected environment always asks, whatever $ConfirmPreference or -Confirm:$false say; only -Force skips it.
        return !resolved.IsProtected || Force || ShouldContinue(
            $"{description}. '{resolved.Environment!.Name}' is a protected environment.", $"Roll back {target.DisplayName}");
    }

    private DownOptions Options() => ParameterSetName switch
    {
        CountSet => new DownOptions(Count: Count, AllowModified: AllowModified),
        VersionsSet => new DownOptions(Versions: pipedVersions.Select(Parse).ToList(), AllowModified: AllowModified),
        AllSet => new DownOptions(TargetVersion: EngineVersion.Parse("0"), AllowModified: AllowModified),
        _ => new DownOptions(TargetVersion: Parse(TargetVersion!), AllowModified: AllowModified),
    };

    private static EngineVersion Parse(string text) => ParseVersionParameter(text, "Version", MigrationErrors.InvalidTargetVersion);
}
