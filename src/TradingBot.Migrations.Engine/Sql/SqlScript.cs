namespace TradingBot.Migrations.Engine.Sql;

/// <summary>
/// A script lexed once and split into statements, with every construct the lexer or splitter could
/// not close: unterminated strings, comments, identifiers and dollar bodies, BEGIN bodies without END,
/// and parentheses that do not balance within a statement.
/// </summary>
internal sealed record SqlScript(SqlTokenization Tokenization, SqlDialect Dialect, IReadOnlyList<SqlStatement> Statements, IReadOnlyList<SqlLexError> Errors)
{
    public string Source => Tokenization.Source;

    public static SqlScript Parse(string sql, SqlDialect dialect)
    {
        var lexed = SqlLexer.Tokenize(sql, dialect);
        var errors = new List<SqlLexError>(lexed.Errors);
        var statements = SqlStatementSplitter.Split(lexed, errors);
        foreach (var statement in statements)
        {
            CheckParentheses(statement, errors);
        }

        errors.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return new SqlScript(lexed, dialect, statements, errors);
    }

    private static void CheckParentheses(SqlStatement statement, List<SqlLexError> errors)
    {
        var depth = 0;
        SqlToken? firstOpen = null;
        foreach (var token in statement.Tokens)
        {
            if (token.Kind == SqlTokenKind.OpenParen)
            {
                firstOpen ??= token;
                depth++;
            }
            else if (token.Kind == SqlTokenKind.CloseParen && --depth < 0)
            {
                errors.Add(new SqlLexError(token.Line, token.Start, "unexpected ) without a matching ("));
                return;
            }
        }

        if (depth > 0 && firstOpen is { } open)
        {
            errors.Add(new SqlLexError(open.Line, open.Start, $"{depth} unclosed ( in this statement"));
        }
    }
}
