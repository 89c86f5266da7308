namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>Answers what only a PowerShell parser can: which blocks a .ps1 migration defines, and what SQL they send.</summary>
public interface IPowerShellScriptInspector
{
    /// <summary>Returns the names of the blocks the script defines (Up, Down), or throws a MigrationException when it cannot be parsed.</summary>
    IReadOnlyCollection<string> DefinedBlocks(ScriptFile script);

    /// <summary>
    /// The SQL that a block (Up or Down) passes to $Migration.Execute, Query or Scalar, read without running it; null when
    /// the block cannot be read at all (no parser, or no such block).
    /// </summary>
    PowerShellBlockSql? ReadBlockSql(ScriptFile script, string block) => null;
}

/// <summary>
/// What a PowerShell migration's block sends through $Migration, in source order: each call whose SQL is a constant, and the
/// lines of the calls whose SQL is only built when the block runs (a variable, an expandable string, an expression).
/// </summary>
public sealed record PowerShellBlockSql(IReadOnlyList<PowerShellSqlCall> Calls, IReadOnlyList<int> UnreadableLines)
{
    public bool IsComplete => UnreadableLines.Count == 0;

    /// <summary>The constant SQL as one script whose lines are the .ps1 file's lines, so findings point into the file.</summary>
    public string ToScript()
    {
        var text = new System.Text.StringBuilder();
        var line = 1;
        foreach (var call in Calls)
        {
            for (; line < call.Line; line++)
            {
                text.Append('\n');
            }

            // A last line with a line comment gets the semicolon on a line of its own.
            var sql = call.Sql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
            var ownLine = sql[(sql.LastIndexOf('\n') + 1)..].Contains("--", StringComparison.Ordinal);
            text.Append(sql).Append(ownLine ? "\n;\n" : ";\n");
            line += sql.Count(c => c == '\n') + (ownLine ? 2 : 1);
        }

        return text.ToString();
    }
}

/// <summary>One constant SQL text a PowerShell migration sends, and the line in the .ps1 file where the text starts.</summary>
public sealed record PowerShellSqlCall(string Sql, int Line);
