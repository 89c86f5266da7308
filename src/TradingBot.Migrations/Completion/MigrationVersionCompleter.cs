using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace TradingBot.Migrations.Completion;

/// <summary>
/// Completes -TargetVersion, -Version and -RollbackTo with the versions of the files in the migrations folder (the one the
/// cmdlet would read: -Path, else migrations.psd1's MigrationsPath, else ./migrations), newest first. It reads no database.
/// </summary>
public sealed class MigrationVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionContext.From(fakeBoundParameters).FileVersions()
            .OrderByDescending(v => v)
            .Select(v => new CompletionResult(v.Text, v.Text, CompletionResultType.ParameterValue, $"migration {v.Text}"))
            .Where(CompletionWord.Matcher(wordToComplete))
            .ToList();
}
