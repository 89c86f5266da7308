using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace TradingBot.Migrations.Completion;

/// <summary>
/// Completes -Path (the migrations folder) with folders only, as pwsh completes paths (relative to the location, quoted
/// where needed); the folder migrations.psd1's MigrationsPath names comes first when it matches what was typed.
/// </summary>
public sealed class MigrationsFolderCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var folders = CompletionCompleters.CompleteFilename(wordToComplete ?? string.Empty)
            .Where(r => r.ResultType == CompletionResultType.ProviderContainer)
            .ToList();
        var configured = Configured(fakeBoundParameters);
        if (configured is null || !CompletionWord.Matcher(wordToComplete)(configured))
        {
            return folders;
        }

        return [configured, .. folders.Where(f => !SameFolder(f.CompletionText, configured.CompletionText))];
    }

    private static CompletionResult? Configured(IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(fakeBoundParameters?.Contains("Path") == true ? WithoutPath(fakeBoundParameters) : fakeBoundParameters);
        if (context.Configuration?.ResolveMigrationsFolder() is not { } folder || !Directory.Exists(folder))
        {
            return null;
        }

        var relative = Path.GetRelativePath(context.Location, folder);
        var text = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder : "." + Path.DirectorySeparatorChar + relative;
        return new CompletionResult(CompletionWord.Quoted(text), relative, CompletionResultType.ProviderContainer, $"MigrationsPath of {context.Configuration.FilePath}");
    }

    private static Hashtable WithoutPath(IDictionary bound)
    {
        var copy = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in bound)
        {
            if (!string.Equals(entry.Key as string, "Path", StringComparison.OrdinalIgnoreCase))
            {
                copy[entry.Key] = entry.Value;
            }
        }

        return copy;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(a.Trim('\'', '"').TrimEnd('/', '\\'), b.Trim('\'', '"').TrimEnd('/', '\\'), StringComparison.Ordinal);
}
