namespace TradingBot.Migrations.Engine.Sql;

/// <summary>
/// Splits a script into statements at top-level semicolons. Semicolons inside strings, comments,
/// quoted identifiers, dollar bodies, BEGIN ATOMIC bodies (PostgreSQL) and trigger bodies (SQLite)
/// do not split.
/// </summary>
internal static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql, SqlDialect dialect) => Split(SqlLexer.Tokenize(sql, dialect));

    public static IReadOnlyList<SqlStatement> Split(SqlTokenization lexed) => Split(lexed, errors: null);

    /// <summary>Splits, and reports a BEGIN ATOMIC or trigger body left open at the end of the script.</summary>
    internal static IReadOnlyList<SqlStatement> Split(SqlTokenization lexed, List<SqlLexError>? errors)
    {
        ArgumentNullException.ThrowIfNull(lexed);
        SqlToken? blockOpener = null;
        var source = lexed.Source;
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var blockDepth = 0;
        var sawBodyOpener = false;
        SqlToken? previousWord = null;

        var ruleParens = 0;
        var isRule = false;
        var words = 0;
        foreach (var token in lexed.Tokens)
        {
            if (token.Kind == SqlTokenKind.Semicolon && blockDepth == 0 && ruleParens == 0)
            {
                Flush(source, current, statements);
                sawBodyOpener = false;
                previousWord = null;
                isRule = false;
                words = 0;
                continue;
            }

            current.Add(token);

            // CREATE RULE ... DO (stmt; stmt): the parenthesised action list holds semicolons.
            if (isRule && token.Kind == SqlTokenKind.OpenParen)
            {
                ruleParens++;
            }
            else if (isRule && token.Kind == SqlTokenKind.CloseParen && ruleParens > 0)
            {
                ruleParens--;
            }
            else if (token.Kind == SqlTokenKind.Word && ++words <= 4 && token.IsWord(source, "RULE") && current.Any(t => t.IsWord(source, "CREATE")))
            {
                isRule = true;
            }

            if (token.Kind != SqlTokenKind.Word)
            {
                continue;
            }

            if (IsBlockStart(source, token, previousWord, current, ref sawBodyOpener))
            {
                if (blockDepth == 0)
                {
                    blockOpener = token;
                }

                blockDepth++;
            }
            else if (blockDepth > 0 && token.IsWord(source, "CASE"))
            {
                blockDepth++;
            }
            else if (blockDepth > 0 && token.IsWord(source, "END"))
            {
                blockDepth--;
            }

            previousWord = token;
        }

        if (blockDepth > 0 && errors is not null && blockOpener is { } opener)
        {
            errors.Add(new SqlLexError(opener.Line, opener.Start, "the body opened here with BEGIN is never closed with END"));
        }

        Flush(source, current, statements);
        return statements;
    }

    // A block opens at BEGIN ATOMIC, or at BEGIN inside CREATE TRIGGER (SQLite trigger bodies).
    private static bool IsBlockStart(string source, SqlToken token, SqlToken? previousWord, List<SqlToken> current, ref bool sawBodyOpener)
    {
        if (token.IsWord(source, "ATOMIC") && previousWord is { } p && p.IsWord(source, "BEGIN"))
        {
            return true;
        }

        if (!token.IsWord(source, "BEGIN") || sawBodyOpener)
        {
            return false;
        }

        var words = current.Where(t => t.Kind == SqlTokenKind.Word).Take(4).ToList();
        var isTrigger = words.Count >= 2 && words[0].IsWord(source, "CREATE") &&
            words.Skip(1).Take(3).Any(w => w.IsWord(source, "TRIGGER"));
        if (isTrigger)
        {
            sawBodyOpener = true;
        }

        return isTrigger;
    }

    private static void Flush(string source, List<SqlToken> current, List<SqlStatement> statements)
    {
        var first = current.FindIndex(t => !t.IsTrivia);
        if (first >= 0)
        {
            var last = current.FindLastIndex(t => !t.IsTrivia);
            var start = current[first].Start;
            var end = current[last].Start + current[last].Length;
            statements.Add(new SqlStatement(source[start..end], current[first].Line, start, current.GetRange(first, last - first + 1)));
        }

        current.Clear();
    }
}
