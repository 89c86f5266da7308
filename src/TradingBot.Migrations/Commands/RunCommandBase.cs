using System.Management.Automation;
using System.Text;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>What Invoke-Migration and Undo-Migration share: previews, confirmation, the lock timeout, the run itself, and many targets as a fleet.</summary>
public abstract class RunCommandBase : FleetCmdletBase
{
    /// <summary>How long to wait for another run's lock, in seconds (default: the environment's LockTimeoutSeconds, else 300).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int LockTimeout { get; set; } = 300;

    /// <summary>Write the plan as one SQL script (history statements included) to this file, and change nothing.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScriptPath { get; set; }

    /// <summary>Emit flat records of strings, numbers and booleans (text versions, enum names, ISO 8601 UTC times, DurationMs) that stay flat through Select-Object.</summary>
    [Parameter]
    public SwitchParameter AsPlainObject { get; set; }

    /// <summary>With many targets: run every target even after one failed (by default the first failure starts no new target).</summary>
    [Parameter]
    public SwitchParameter ContinueOnError { get; set; }

    /// <summary>With many targets: migrate the first this many first, and start no other when any of them fails.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Canary { get; set; }

    /// <summary>The Target of each piped status or result row, the database it came from; not for the command line.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [Alias("Target")]
    public string? PipedTarget { get; set; }

    private readonly HashSet<string> pipedTargets = new(StringComparer.Ordinal);

    protected bool IsPreview => ScriptPath is not null || IsWhatIf || IsPlanOnly;

    /// <summary>Only a plan file is wanted (Invoke-Migration -PlanPath): a preview, as -WhatIf.</summary>
    private protected virtual bool IsPlanOnly => false;

    private bool IsWhatIf => Confirmation.IsWhatIf(this);

    protected abstract string Activity { get; }

    private protected abstract RunPreview RenderPreview(EngineSettings settings, CancellationToken cancellation);

    private protected abstract IReadOnlyList<StepResult> Run(EngineSettings settings, Func<IMigrationObserver> observe, Action<MigrationPlan> planned,
        CancellationToken cancellation);

    /// <summary>Checks a plan made under the target's lock against a reviewed plan (Invoke-Migration -Plan); throws to refuse. True.</summary>
    private protected virtual bool CheckPlan(ResolvedTarget resolved, MigrationPlan plan) => true;

    /// <summary>Sees each target's previewed plan (Invoke-Migration -PlanPath keeps it); called on the target's thread.</summary>
    private protected virtual void Previewed(ResolvedTarget resolved, MigrationPlan plan)
    {
    }

    /// <summary>Asks once for the whole plan; true to go on.</summary>
    private protected abstract bool Confirm(ResolvedTarget resolved, MigrationPlan plan);

    /// <summary>Checks the parameters against a target before anything is opened, so bad input changes nothing.</summary>
    private protected abstract void ValidateParameters(ResolvedTarget resolved);

    // A failing target starts no new one unless -ContinueOnError; a failing canary stops the rest.
    private protected override Engine.Fleet.FleetOptions FleetOptions => new(ThrottleLimit, ContinueOnError, Canary);

    protected override void ProcessRecord()
    {
        if (PipedTarget is { Length: > 0 })
        {
            pipedTargets.Add(PipedTarget);
        }

        base.ProcessRecord();
    }

    /// <summary>
    /// One target as always, or many as a fleet: each is checked first (nothing runs when one is refused), then each runs as
    /// one target would, its output tagged with its target, up to -ThrottleLimit at once.
    /// </summary>
    protected void Execute()
    {
        var timing = CmdletMigrationObserver.VerboseWanted(this);
        ForEachTarget(Activity, targets =>
        {
            RefuseRowsOfAnotherTarget(targets);
            if (ScriptPath is not null)
            {
                RefuseMany(targets, "-ScriptPath writes one database's script", ", or preview them all with -WhatIf");
            }

            foreach (var target in targets)
            {
                ValidateParameters(target);
            }
        }, (target, run) =>
        {
            if (run is null)
            {
                RunSingle(target, timing);
            }
            else
            {
                RunOn(target, t => new CmdletMigrationObserver(this, t, Activity, AsPlainObject, showProgress: false, timing, () => run.StopRequested), run.Cancellation);
            }
        });
    }

    // Rows piped from Get-MigrationStatus (or a run's results) name the database they came from. With no -Database or
    // -Environment the command would run on its default target instead: never what rows of another database meant
    // (`Get-MigrationStatus -Environment tenants | ... | Undo-Migration` would roll back the developer's database).
    private void RefuseRowsOfAnotherTarget(IReadOnlyList<ResolvedTarget> targets)
    {
        if (!Targets.IsEmpty)
        {
            return;
        }

        var here = targets.Select(t => t.Target.DisplayName).ToHashSet(StringComparer.Ordinal);
        var elsewhere = pipedTargets.Where(t => !here.Contains(t)).ToList();
        if (elsewhere.Count > 0)
        {
            throw new MigrationException(MigrationErrors.PipedRowsOfAnotherTarget,
                $"The piped rows come from {Names(elsewhere)}, but no -Database or -Environment says where to run, so this would run on " +
                $"{Names(here)} instead. Nothing was run.");
        }

        static string Names(IEnumerable<string> names)
        {
            var list = names.ToList();
            return string.Join(", ", list.Take(3)) + (list.Count > 3 ? $" and {list.Count - 3} more" : string.Empty);
        }
    }

    // One target: the run on a worker, its results written as they come, so PowerShell formats them while the next run.
    private void RunSingle(ResolvedTarget target, bool timing)
    {
        if (IsPreview)
        {
            RunOn(target, t => new CmdletMigrationObserver(this, t, Activity, AsPlainObject), Cancellation);
            return;
        }

        BackgroundWork.Run(this, dispatcher => Dispatcher = dispatcher, () =>
        {
            RunOn(target, t => new CmdletMigrationObserver(this, t, Activity, AsPlainObject, statementTiming: timing), Cancellation);
            return true;
        });
    }

    private void RunOn(ResolvedTarget resolved, Func<DatabaseTarget, CmdletMigrationObserver> observe, CancellationToken cancellation)
    {
        if (IsPreview)
        {
            Preview(resolved, cancellation);
            return;
        }

        var settings = CreateSettings(resolved, readOnly: false);
        if (MyInvocation.BoundParameters.ContainsKey(nameof(LockTimeout)) || resolved.Environment?.LockTimeoutSeconds is null)
        {
            settings = settings with { LockTimeout = TimeSpan.FromSeconds(LockTimeout) };
        }

        var target = settings.Target;
        CmdletMigrationObserver? observer = null;
        try
        {
            Run(settings, () => observer = observe(target), plan =>
            {
                foreach (var warning in plan.Warnings)
                {
                    WriteWarning(warning);
                }

                if (plan.Steps.Count == 0 && CheckPlan(resolved, plan))
                {
                    WriteVerbose($"Nothing to do on {target.DisplayName}.");
                }
                else if (CheckPlan(resolved, plan) && !Confirm(resolved, plan))
                {
                    throw new DeclinedException();
                }
            }, cancellation);
        }
        catch (DeclinedException)
        {
            WriteVerbose("Declined; nothing was run.");
        }
        finally
        {
            // Only a run that got as far as its connection has progress to close.
            observer?.Complete();
        }
    }

    private protected static string Describe(MigrationPlan plan) =>
        string.Join(", ", plan.Steps.Select(s => $"{s.Migration.Version} {s.Migration.Name}"));

    private void Preview(ResolvedTarget resolved, CancellationToken cancellation)
    {
        var settings = CreateSettings(resolved, readOnly: true);
        var target = settings.Target;
        var preview = RenderPreview(settings, cancellation);
        var (plan, script) = preview;
        Previewed(resolved, plan);
        foreach (var warning in plan.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (var drop in preview.InvalidIndexDrops.Where(_ => IsWhatIf))
        {
            var action = $"Drop the invalid index {drop.Index} (an earlier CREATE INDEX CONCURRENTLY of it failed) with DROP INDEX CONCURRENTLY, so that migration {drop.Version} {drop.MigrationName} builds it again, on {target.DisplayName}";
            ShouldProcess(action, action + "?", "Drop invalid index");
        }

        if (ScriptPath is not null)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ScriptPath);
            File.WriteAllText(path, script, new UTF8Encoding(false));
            WriteVerbose($"Wrote the plan for {plan.Steps.Count} migration(s) to {path}.");
            this.WriteFile(path);
        }

        foreach (var step in plan.Steps)
        {
            var verb = step.Direction == Engine.Planning.MigrationDirection.Up ? "Apply" : "Roll back";
            var action = $"{verb} migration {step.Migration.Version} {step.Migration.Name} ({step.Script.FileName}) on {target.DisplayName}";
            WriteVerbose($"{step.Script.FileName}:{System.Environment.NewLine}{step.Script.Text}");
            // Under -WhatIf the host prints the description as it is: the action and the script it would run. Writing
            // a -ScriptPath changes nothing, so it asks nothing (a rollback's ConfirmImpact is High).
            if (IsWhatIf)
            {
                ShouldProcess($"{action}:{System.Environment.NewLine}{step.Script.Text.TrimEnd()}", action + "?", verb);
            }
        }
    }

    private sealed class DeclinedException : Exception;
}
