using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Completion;

/// <summary>Completes -TargetVersion and -Version from the file names in the migrations folder (-Path, or ./migrations), newest first.</summary>
public sealed class MigrationVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        var pattern = new WildcardPattern((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return MigrationScaffolder.ExistingVersions(MigrationsFolder(fakeBoundParameters))
            .OrderByDescending(v => v)
            .Select(v => v.Text)
            .Where(pattern.IsMatch)
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, $"migration {v}"))
            .ToList();
    }

    internal static string MigrationsFolder(IDictionary fakeBoundParameters)
    {
        var current = CurrentLocation();
        return fakeBoundParameters["Path"] is string path && path.Length > 0
            ? Path.GetFullPath(path, current)
            : Path.Combine(current, "migrations");
    }

    // Completion runs inside a pipeline, where SessionStateProxy is off limits; a nested pipeline on this runspace is not.
    private static string CurrentLocation()
    {
        if (Runspace.DefaultRunspace is null)
        {
            return Environment.CurrentDirectory;
        }

        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath");
        return shell.Invoke().FirstOrDefault()?.BaseObject as string ?? Environment.CurrentDirectory;
    }
}
