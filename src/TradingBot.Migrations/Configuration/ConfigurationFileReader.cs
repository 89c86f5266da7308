using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Configuration;

/// <summary>
/// Reads migrations.psd1 without running it: the PowerShell parser builds the syntax tree, and only
/// one hashtable literal of constants is accepted (strings, numbers, $true, $false, $null, nested
/// hashtables), the values taken with Ast.SafeGetValue as Import-PowerShellDataFile does. A variable,
/// a command, a subexpression or anything else is refused with its line; nothing in the file executes.
/// </summary>
internal static class ConfigurationFileReader
{
    public static ProjectConfiguration Load(string path) =>
        ProjectConfiguration.FromEntries(path, ReadEntries(path));

    public static IReadOnlyList<ConfigurationEntry> ReadEntries(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(MigrationErrors.ConfigurationFileUnreadable, $"{path}: cannot read the configuration file: {e.Message}", e)
            {
                FilePath = path,
            };
        }

        var ast = Parser.ParseInput(text, path, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw Error(path, first.Extent.StartLineNumber, MigrationErrors.InvalidConfigurationFile, $"the file is not valid PowerShell data: {first.Message}");
        }

        var statements = ast.EndBlock?.Statements;
        if (ast.ParamBlock is not null || ast.BeginBlock is not null || ast.ProcessBlock is not null || ast.DynamicParamBlock is not null ||
            statements is null || statements.Count != 1 || Hashtable(statements[0]) is not { } root)
        {
            var line = statements is { Count: > 0 } ? statements[^1].Extent.StartLineNumber : 1;
            throw Error(path, line, MigrationErrors.InvalidConfigurationFile, "the file must hold exactly one hashtable, @{ ... }, and nothing else");
        }

        return Entries(path, root);
    }

    private static List<ConfigurationEntry> Entries(string path, HashtableAst table)
    {
        var entries = new List<ConfigurationEntry>(table.KeyValuePairs.Count);
        foreach (var (keyAst, valueAst) in table.KeyValuePairs)
        {
            var line = keyAst.Extent.StartLineNumber;
            var key = keyAst switch
            {
                StringConstantExpressionAst text => text.Value,
                ConstantExpressionAst constant => Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? string.Empty,
                _ => throw Error(path, line, MigrationErrors.InvalidConfigurationFile, $"the key '{keyAst.Extent.Text}' must be a plain name"),
            };

            entries.Add(new ConfigurationEntry(key, Value(path, key, valueAst), line));
        }

        return entries;
    }

    private static object? Value(string path, string key, StatementAst valueAst)
    {
        if (Hashtable(valueAst) is { } nested)
        {
            return Entries(path, nested);
        }

        object? value;
        try
        {
            value = valueAst.SafeGetValue();
        }
        catch (InvalidOperationException)
        {
            throw Error(path, valueAst.Extent.StartLineNumber, MigrationErrors.InvalidConfigurationValue,
                $"the value of '{key}' ({valueAst.Extent.Text}) is not a constant: only strings, numbers, $true, $false and @{{ }} are allowed, and nothing is evaluated");
        }

        return value switch
        {
            null or string or bool or long or double => value,
            int number => (long)number,
            PSObject { BaseObject: var inner } => inner,
            object[] items when items.All(i => i is string) => items.Cast<string>().ToArray(),
            _ => throw Error(path, valueAst.Extent.StartLineNumber, MigrationErrors.InvalidConfigurationValue,
                $"the value of '{key}' ({valueAst.Extent.Text}) is not a string, number, $true, $false, a list of strings or @{{ }}"),
        };
    }

    /// <summary>The hashtable literal a statement consists of, if that is all it is.</summary>
    private static HashtableAst? Hashtable(StatementAst statement) =>
        statement switch
        {
            PipelineAst { PipelineElements: [CommandExpressionAst { Expression: HashtableAst table, Redirections.Count: 0 }] } => table,
            _ => null,
        };

    private static MigrationException Error(string path, int line, MigrationError error, string message) =>
        new(error, $"{path}:{line}: {message}.")
        {
            FilePath = path,
            Line = line,
            RecommendedAction = $"Fix line {line} of {path}: it must be a PowerShell data file, @{{ Environments = @{{ dev = @{{ Database = 'sqlite:./dev.db' }} }} }}.",
        };
}
