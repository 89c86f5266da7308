using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>Applies pending migrations in version order, each in its own transaction with its history row.</summary>
/// <remarks>
/// <para>Takes the migration lock (a PostgreSQL advisory lock held by a transaction on a second connection, which holds
/// through PgBouncer in session and transaction mode; on SQLite a lock on a file beside the database), creates the
/// history table if needed, reads the history once, and applies every pending migration up to -TargetVersion on one
/// connection. It stops at the first failure: that migration is rolled back, earlier ones stay applied, and the
/// terminating error names the file, the line, the failing statement and the database's message.</para>
/// <para>It refuses to run while an applied migration's file has changed (-AllowModified overrides), while a pending
/// migration is older than the newest applied one (-AllowOutOfOrder overrides), and while a migration is recorded as Failed.</para>
/// <para>-WhatIf lists each migration that would run and touches nothing, not even the history table; -ScriptPath writes the
/// whole plan as one SQL script. Emits one MigrationResult per migration.</para>
/// </remarks>
/// <example>
/// <code>Invoke-Migration</code>
/// <para>Applies everything pending in ./migrations to $env:DATABASE_URL, or to ./dev.db when it is not set.</para>
/// </example>
/// <example>
/// <code>Invoke-Migration -Database 'postgres://app:secret@db:5432/trading?sslmode=require' -TargetVersion 1.0.2 -Verbose</code>
/// <para>Applies up to 1.0.2 on PostgreSQL, with per-statement timing on the verbose stream.</para>
/// </example>
/// <example>
/// <code>Invoke-Migration -WhatIf -Verbose; Invoke-Migration -ScriptPath ./plan.sql</code>
/// <para>Previews the plan with its SQL, then writes it to a file for review; neither changes the database.</para>
/// </example>
/// <returns>
/// <para>PSObject: with -AsPlainObject, a flat record (PSCustomObject) per migration instead of a MigrationResult: text versions, enum names, ISO 8601 UTC times, DurationMs.</para>
/// <para>FileInfo: with -ScriptPath, the script it wrote (and no results).</para>
/// </returns>
[Cmdlet(VerbsLifecycle.Invoke, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationResult), typeof(PSObject), typeof(FileInfo))]
public sealed class InvokeMigrationCommand : RunCommandBase
{
    private readonly List<string> pipedVersions = [];

    /// <summary>Apply up to and including this version (default: all pending). Piped status objects set it to the newest piped version.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Version")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string? TargetVersion { get; set; }

    /// <summary>Run even though applied migrations changed since they ran (refused in a protected environment).</summary>
    [Parameter]
    public SwitchParameter AllowModified { get; set; }

    /// <summary>Apply pending migrations older than the newest applied one (refused in a protected environment).</summary>
    [Parameter]
    public SwitchParameter AllowOutOfOrder { get; set; }

    /// <summary>
    /// Drop an invalid index (left by a failed CREATE INDEX CONCURRENTLY) that a pending migration builds again, with DROP
    /// INDEX CONCURRENTLY, before that migration runs. Without it the run stops before anything runs and names the index.
    /// </summary>
    [Parameter]
    public SwitchParameter DropInvalidIndexes { get; set; }

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
            throw new MigrationException(MigrationErrors.ProtectedEnvironmentOverrideRefused,
                $"{name} is refused in the protected environment '{Resolved.Environment!.Name}': modified and out-of-order migrations are never overridden there.");
        }

        if (!IsPreview)
        {
            Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was applied.");
        }
    }

    private protected override RunPreview RenderPreview(EngineSettings settings) => MigrationUseCases.PreviewMigrate(settings, Options(), Cancellation);

    private protected override IReadOnlyList<StepResult> Run(EngineSettings settings, Func<IMigrationObserver> observe, Action<MigrationPlan> planned) =>
        MigrationUseCases.Migrate(settings, Options(), observe, planned, Cancellation);

    private protected override bool Confirm(DatabaseTarget target, MigrationPlan plan) =>
        ShouldProcess(target.DisplayName, $"Apply {plan.Steps.Count} migration(s): {Describe(plan)}");

    private UpOptions Options()
    {
        var versions = pipedVersions.Select(v => ParseVersionParameter(v, "-TargetVersion", MigrationErrors.InvalidTargetVersion)).ToList();
        return new UpOptions(versions.Count == 0 ? null : versions.Max(), AllowModified, AllowOutOfOrder, DropInvalidIndexes);
    }
}
