using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using TradingBot.Migrations.Completion;

namespace TradingBot.Migrations.Configuration;

/// <summary>Completes -Environment with the names in migrations.psd1 (or the file -ConfigurationPath names).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        (CompletionContext.From(fakeBoundParameters).Configuration?.EnvironmentNames ?? [])
            .Select(name => new CompletionResult(CompletionWord.Quoted(name), name, CompletionResultType.ParameterValue, name))
            .Where(CompletionWord.Matcher(wordToComplete))
            .ToList();
}
