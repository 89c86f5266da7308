using System.Management.Automation.Language;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Reads a PowerShell migration with the PowerShell parser, without running it: it must end in a
/// hashtable literal with an Up (and usually a Down) script block.
/// </summary>
internal sealed class PowerShellScriptInspector : IPowerShellScriptInspector
{
    public IReadOnlyCollection<string> DefinedBlocks(ScriptFile script)
    {
        var ast = Parse(script);
        var hashtable = ast.FindAll(a => a is HashtableAst, searchNestedScriptBlocks: false).Cast<HashtableAst>().LastOrDefault();
        if (hashtable is null)
        {
            return [];
        }

        return hashtable.KeyValuePairs
            .Where(pair => pair.Item1 is StringConstantExpressionAst && IsScriptBlock(pair.Item2))
            .Select(pair => ((StringConstantExpressionAst)pair.Item1).Value)
            .ToList();
    }

    internal static ScriptBlockAst Parse(ScriptFile script)
    {
        var ast = Parser.ParseInput(script.Text, script.Path, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw new MigrationException(MigrationErrors.PowerShellMigrationParseError,
                $"{script.FileName}:{first.Extent.StartLineNumber}: {first.Message}")
            { FilePath = script.Path, Line = first.Extent.StartLineNumber };
        }

        return ast;
    }

    private static bool IsScriptBlock(StatementAst value) =>
        value is PipelineAst { PipelineElements: [CommandExpressionAst { Expression: ScriptBlockExpressionAst }] };
}
