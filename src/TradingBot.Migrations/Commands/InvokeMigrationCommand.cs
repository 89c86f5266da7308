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
/// <para>With a PostgreSQL lock_timeout (the environment's PostgresLockTimeout or a -- lock_timeout: directive), -LockRetry n
/// (or PostgresLockRetries) tries a migration that timed out waiting for a lock up to n more times, with growing, jittered
/// waits; the history row records the attempts and -Verbose shows each retry. Outside a transaction only the statement that
/// timed out runs again, unless it is a CONCURRENTLY operation, DO, CALL or inside the script's own BEGIN block. No other
/// error is retried.</para>
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
/// <example>
/// <code>Import-Csv tenants.csv | Invoke-Migration -ThrottleLimit 8 -Canary 2</code>
/// <para>Migrates every tenant in the CSV (its Database or ConnectionString column), eight at a time, after the first two succeeded.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Invoke-Migration -Shard CircleCI -ContinueOnError | Export-MigrationReport -Format Json -Path results.json</code>
/// <para>On each node of a CircleCI job with parallelism, migrates that node's share of the list and keeps going past failed tenants.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Invoke-Migration -WhatIf -PlanPath plan.json; Get-Content tenants.txt | Invoke-Migration -Plan plan.json</code>
/// <para>Writes what would run on each tenant, with checksums, for review; then applies exactly that, refusing a tenant whose files or history changed since.</para>
/// </example>
/// <returns>
/// <para>PSObject: with -AsPlainObject, a flat record (PSCustomObject) per migration instead of a MigrationResult: text versions, enum names, ISO 8601 UTC times, DurationMs.</para>
/// <para>FileInfo: with -ScriptPath, the script it wrote (and no results); with -PlanPath, the plan it wrote.</para>
/// </returns>
[Cmdlet(VerbsLifecycle.Invoke, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationResult), typeof(PSObject), typeof(FileInfo))]
public sealed class InvokeMigrationCommand : RunCommandBase
{
    private readonly List<string> pipedVersions = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<Engine.Fleet.PlanFileTarget> previewed = [];
    private Engine.Fleet.FleetPlan? approved;

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
    /// Try a PostgreSQL migration stopped by its lock_timeout (PostgresLockTimeout or a -- lock_timeout: directive) up to this
    /// many more times, waiting longer each time, with jitter (default: the environment's PostgresLockRetries, else 0).
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int LockRetry { get; set; }

    /// <summary>Write what would run on each target, with the files' checksums, to this JSON file for review, and change nothing (as -WhatIf).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlanPath { get; set; }

    /// <summary>Run exactly the reviewed plan -PlanPath wrote: a target not in it, or whose files or history changed since, is refused.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Plan { get; set; }

    /// <summary>
    /// Drop an invalid index (left by a failed CREATE INDEX CONCURRENTLY) that a pending migration builds again, with DROP
    /// INDEX CONCURRENTLY, before that migration runs. Without it the run stops before anything runs and names the index;
    /// -WhatIf and -ScriptPath stop the same way, or with this switch show the drop.
    /// </summary>
    [Parameter]
    public SwitchParameter DropInvalidIndexes { get; set; }

    protected override string Activity => "Applying migrations";

    private protected override bool IsPlanOnly => PlanPath is not null;

    private protected override void Previewed(ResolvedTarget resolved, MigrationPlan plan)
    {
        if (PlanPath is not null)
        {
            previewed.Add(Engine.Fleet.FleetPlan.Describe(resolved.Target, plan));
        }
    }

    private protected override bool CheckPlan(ResolvedTarget resolved, MigrationPlan plan)
    {
        approved?.Check(resolved.Target, plan);
        return true;
    }

    protected override void EndProcessing()
    {
        if (Plan is not null)
        {
            Guard(() => approved = Engine.Fleet.FleetPlan.Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Plan)));
        }

        Execute();
        if (PlanPath is not null)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(PlanPath);
            File.WriteAllText(path, Engine.Fleet.FleetPlan.Of(previewed).ToJson(), new System.Text.UTF8Encoding(false));
            WriteVerbose($"Wrote the plan for {previewed.Count} target(s) to {path}.");
            this.WriteFile(path);
        }
    }

    protected override void ProcessRecord()
    {
        if (TargetVersion is not null)
        {
            pipedVersions.Add(TargetVersion);
        }

        base.ProcessRecord();
    }

    private protected override void ValidateParameters(ResolvedTarget resolved)
    {
        _ = Options();
        if (resolved.IsProtected && (AllowModified || AllowOutOfOrder))
        {
            var name = AllowModified ? "-AllowModified" : "-AllowOutOfOrder";
            throw new MigrationException(MigrationErrors.ProtectedEnvironmentOverrideRefused,
                $"{name} is refused in the protected environment '{resolved.Environment!.Name}': modified and out-of-order migrations are never overridden there.");
        }

        if (!IsPreview)
        {
            Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was applied.");
        }
    }

    private protected override RunPreview RenderPreview(EngineSettings settings, CancellationToken cancellation) =>
        MigrationUseCases.PreviewMigrate(settings, Options(), cancellation);

    private protected override IReadOnlyList<StepResult> Run(EngineSettings settings, Func<IMigrationObserver> observe, Action<MigrationPlan> planned,
        CancellationToken cancellation) =>
        MigrationUseCases.Migrate(MyInvocation.BoundParameters.ContainsKey(nameof(LockRetry)) ? settings with { LockRetries = LockRetry } : settings,
            Options(), observe, planned, cancellation);

    private protected override bool Confirm(ResolvedTarget resolved, MigrationPlan plan) =>
        ShouldProcess(resolved.Target.DisplayName, $"Apply {plan.Steps.Count} migration(s): {Describe(plan)}");

    private UpOptions Options()
    {
        var versions = pipedVersions.Select(v => ParseVersionParameter(v, "-TargetVersion", MigrationErrors.InvalidTargetVersion)).ToList();
        return new UpOptions(versions.Count == 0 ? null : versions.Max(), AllowModified, AllowOutOfOrder, DropInvalidIndexes);
    }
}
