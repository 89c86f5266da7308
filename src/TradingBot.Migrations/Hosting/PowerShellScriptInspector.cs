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

    private static readonly HashSet<string> SqlMethods = new(StringComparer.OrdinalIgnoreCase) { "Execute", "Query", "Scalar" };

    public PowerShellBlockSql? ReadBlockSql(ScriptFile script, string block)
    {
        var hashtable = Parse(script).FindAll(a => a is HashtableAst, searchNestedScriptBlocks: false).Cast<HashtableAst>().LastOrDefault();
        var body = hashtable?.KeyValuePairs
            .Where(pair => pair.Item1 is StringConstantExpressionAst key && string.Equals(key.Value, block, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair.Item2 is PipelineAst { PipelineElements: [CommandExpressionAst { Expression: ScriptBlockExpressionAst e }] } ? e.ScriptBlock : null)
            .FirstOrDefault(b => b is not null);
        if (body is null)
        {
            return null;
        }

        // $Migration is the block's first parameter, whatever the script calls it.
        var context = body.ParamBlock?.Parameters.FirstOrDefault()?.Name.VariablePath.UserPath ?? "Migration";
        var calls = new List<PowerShellSqlCall>();
        var unreadable = new List<int>();
        foreach (var call in body.FindAll(a => a is InvokeMemberExpressionAst, searchNestedScriptBlocks: true).Cast<InvokeMemberExpressionAst>()
                     .Where(c => c.Expression is VariableExpressionAst v && string.Equals(v.VariablePath.UserPath, context, StringComparison.OrdinalIgnoreCase)
                         && c.Member is StringConstantExpressionAst m && SqlMethods.Contains(m.Value))
                     .OrderBy(c => c.Extent.StartOffset))
        {
            if (call.Arguments is [StringConstantExpressionAst sql, ..])
            {
                var hereString = sql.StringConstantType is StringConstantType.SingleQuotedHereString or StringConstantType.DoubleQuotedHereString;
                calls.Add(new PowerShellSqlCall(sql.Value, sql.Extent.StartLineNumber + (hereString ? 1 : 0)));
            }
            else
            {
                unreadable.Add(call.Extent.StartLineNumber);
            }
        }

        return new PowerShellBlockSql(calls, unreadable);
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
