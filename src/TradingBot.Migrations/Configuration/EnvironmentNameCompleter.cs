using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Configuration;

/// <summary>Completes -Environment with the names in migrations.psd1 (or the file -ConfigurationPath names).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var path = fakeBoundParameters?["ConfigurationPath"] as string ?? ProjectConfiguration.DefaultFileName;
        var pattern = new WildcardPattern((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (var name in ConfigurationFileReader.EnvironmentNames(Path.GetFullPath(path, CurrentLocation())))
        {
            if (pattern.IsMatch(name))
            {
                var text = name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? name : $"'{name.Replace("'", "''", StringComparison.Ordinal)}'";
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
            }
        }
    }

    // The session's location, not the process's: completers run on the pipeline thread of the session's runspace.
    private static string CurrentLocation()
    {
        try
        {
            var location = ScriptBlock.Create("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath").Invoke();
            return location.Count == 1 && location[0]?.BaseObject is string { Length: > 0 } path ? path : System.Environment.CurrentDirectory;
        }
        catch (RuntimeException)
        {
            return System.Environment.CurrentDirectory;
        }
    }
}
