using System.Collections;
using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Runs a PowerShell migration in the caller's runspace: the file returns
/// @{ Up = { param($Migration) ... }; Down = { param($Migration) ... } }, and the chosen block gets
/// the engine's context, bound to the migration's transaction.
/// </summary>
internal sealed class PowerShellMigrationRunner(PipelineDispatcher? dispatcher = null) : IPowerShellMigrationRunner
{
    // A fleet's worker has no runspace: the script block runs on the pipeline thread while the worker waits.
    public void Run(PlannedStep step, MigrationContext context)
    {
        if (dispatcher is not null)
        {
            dispatcher.Invoke(() => RunHere(step, context));
            return;
        }

        RunHere(step, context);
    }

    private static void RunHere(PlannedStep step, MigrationContext context)
    {
        var blockName = step.Direction == Engine.Planning.MigrationDirection.Up ? "Up" : "Down";
        var script = step.Script;
        try
        {
            // Parsed with its path, so the migration's $PSScriptRoot is its folder (seed files beside it) and its
            // errors name the file; the text is the one whose checksum the run checked.
            var definition = PowerShellScriptInspector.Parse(script).GetScriptBlock().Invoke();
            var table = definition.Select(o => o?.BaseObject).OfType<IDictionary>().LastOrDefault()
                ?? throw Failure(step, $"{script.FileName} must return a hashtable with Up and Down script blocks.", null, null);
            var block = FindBlock(table, blockName)
                ?? throw Failure(step, $"{script.FileName} has no {blockName} script block.", null, null);
            block.Invoke(context);
        }
        catch (RuntimeException e)
        {
            var inner = Unwrap(e);
            if (inner is MigrationException migrationError)
            {
                throw Failure(step, $"{blockName} failed: {migrationError.Message}", migrationError.Line ?? e.ErrorRecord?.InvocationInfo?.ScriptLineNumber, migrationError);
            }

            throw Failure(step, $"{blockName} failed: {inner.Message}", e.ErrorRecord?.InvocationInfo?.ScriptLineNumber, e);
        }
    }

    private static ScriptBlock? FindBlock(IDictionary table, string name)
    {
        foreach (DictionaryEntry entry in table)
        {
            if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return (entry.Value as PSObject)?.BaseObject as ScriptBlock ?? entry.Value as ScriptBlock;
            }
        }

        return null;
    }

    // PowerShell wraps an exception from a .NET method call ($Migration.Execute) in MethodInvocationException.
    private static Exception Unwrap(Exception e)
    {
        while (e is MethodInvocationException or System.Reflection.TargetInvocationException && e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    private static MigrationException Failure(PlannedStep step, string message, int? line, Exception? inner) =>
        new(MigrationErrors.MigrationFailed,
            $"{FailureAdvice.Subject(step.Migration.Version.Text, step.Direction)} failed in {step.Script.FileName}{(line is null ? string.Empty : $" at line {line}")}: {message}", inner)
        {
            Version = step.Migration.Version.Text,
            FilePath = step.Script.Path,
            Line = line,
            RecommendedAction = FailureAdvice.NextStep(step.Migration.Version.Text, step.Script.FileName, line, step.Direction, inTransaction: true),
        };
}
