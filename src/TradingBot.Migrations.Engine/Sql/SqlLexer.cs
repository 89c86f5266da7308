namespace TradingBot.Migrations.Engine.Sql;

/// <summary>
/// Tokenizes PostgreSQL and SQLite scripts well enough that nothing inside a string, comment,
/// quoted identifier or dollar-quoted body is ever mistaken for a statement boundary.
/// </summary>
internal static class SqlLexer
{
    public static SqlTokenization Tokenize(string sql, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>(sql.Length / 4 + 4);
        var errors = new List<SqlLexError>();
        var line = 1;
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var startLine = line;
            var kind = Scan(sql, ref i, dialect, startLine, errors);
            for (var k = start; k < i; k++)
            {
                if (sql[k] == '\n')
                {
                    line++;
                }
            }

            tokens.Add(new SqlToken(kind, start, i - start, startLine));
        }

        return new SqlTokenization(sql, tokens, errors);
    }

    private static SqlTokenKind Scan(string s, ref int i, SqlDialect dialect, int line, List<SqlLexError> errors)
    {
        var c = s[i];
        var next = i + 1 < s.Length ? s[i + 1] : '\0';
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            return SqlTokenKind.Whitespace;
        }

        if (c == '-' && next == '-')
        {
            while (i < s.Length && s[i] != '\n')
            {
                i++;
            }

            return SqlTokenKind.LineComment;
        }

        if (c == '/' && next == '*')
        {
            ScanBlockComment(s, ref i, dialect, line, errors);
            return SqlTokenKind.BlockComment;
        }

        if ((c is 'E' or 'e') && next == '\'' && dialect == SqlDialect.PostgreSql)
        {
            i++;
            ScanQuoted(s, ref i, '\'', backslashEscapes: true, line, errors, "string");
            return SqlTokenKind.StringLiteral;
        }

        if ((c is 'X' or 'x' or 'B' or 'b' or 'N' or 'n') && next == '\'')
        {
            i++;
            ScanQuoted(s, ref i, '\'', backslashEscapes: false, line, errors, "string");
            return SqlTokenKind.StringLiteral;
        }

        if ((c is 'U' or 'u') && next == '&' && i + 2 < s.Length && s[i + 2] is '\'' or '"')
        {
            var quote = s[i + 2];
            i += 2;
            ScanQuoted(s, ref i, quote, backslashEscapes: false, line, errors, quote == '"' ? "quoted identifier" : "string");
            return quote == '"' ? SqlTokenKind.QuotedIdentifier : SqlTokenKind.StringLiteral;
        }

        switch (c)
        {
            case '\'':
                ScanQuoted(s, ref i, '\'', backslashEscapes: false, line, errors, "string");
                return SqlTokenKind.StringLiteral;
            case '"':
                ScanQuoted(s, ref i, '"', backslashEscapes: false, line, errors, "quoted identifier");
                return SqlTokenKind.QuotedIdentifier;
            case '`' when dialect == SqlDialect.Sqlite:
                ScanQuoted(s, ref i, '`', backslashEscapes: false, line, errors, "quoted identifier");
                return SqlTokenKind.QuotedIdentifier;
            case '[' when dialect == SqlDialect.Sqlite:
                var close = s.IndexOf(']', i + 1);
                if (close < 0)
                {
                    errors.Add(new SqlLexError(line, i, "unterminated [bracketed] identifier"));
                    i = s.Length;
                }
                else
                {
                    i = close + 1;
                }

                return SqlTokenKind.QuotedIdentifier;
            case '$' when dialect == SqlDialect.PostgreSql:
                if (TryScanDollarString(s, ref i, line, errors))
                {
                    return SqlTokenKind.DollarString;
                }

                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                return SqlTokenKind.Parameter;
            case ';':
                i++;
                return SqlTokenKind.Semicolon;
            case '(':
                i++;
                return SqlTokenKind.OpenParen;
            case ')':
                i++;
                return SqlTokenKind.CloseParen;
            case ',':
                i++;
                return SqlTokenKind.Comma;
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
        {
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '.' || s[i] == '_'))
            {
                i++;
            }

            return SqlTokenKind.Number;
        }

        if (IsWordStart(c))
        {
            while (i < s.Length && IsWordPart(s[i]))
            {
                i++;
            }

            return SqlTokenKind.Word;
        }

        if ((c is '?' or ':' or '@') && dialect == SqlDialect.Sqlite && IsWordStart(next))
        {
            i++;
            while (i < s.Length && IsWordPart(s[i]))
            {
                i++;
            }

            return SqlTokenKind.Parameter;
        }

        i++;
        return SqlTokenKind.Operator;
    }

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    private static void ScanBlockComment(string s, ref int i, SqlDialect dialect, int line, List<SqlLexError> errors)
    {
        var start = i;
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                // PostgreSQL nests block comments; SQLite ends at the first */.
                depth = dialect == SqlDialect.PostgreSql || depth == 0 ? depth + 1 : depth;
                i += 2;
            }
            else if (s[i] == '*' && i + 1 < s.Length && s[i + 1] == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                i++;
            }
        }

        // SQLite lets a block comment run to the end of the input; PostgreSQL refuses it.
        if (dialect == SqlDialect.PostgreSql)
        {
            errors.Add(new SqlLexError(line, start, "unterminated /* block comment */"));
        }
    }

    private static void ScanQuoted(string s, ref int i, char quote, bool backslashEscapes, int line, List<SqlLexError> errors, string what)
    {
        var start = i;
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (i + 1 < s.Length && s[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                i++;
                return;
            }

            i++;
        }

        i = s.Length;
        errors.Add(new SqlLexError(line, start, $"unterminated {what} starting with {quote}"));
    }

    private static bool TryScanDollarString(string s, ref int i, int line, List<SqlLexError> errors)
    {
        // $tag$ where tag is empty or an identifier not starting with a digit.
        var j = i + 1;
        if (j < s.Length && char.IsAsciiDigit(s[j]))
        {
            return false;
        }

        while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '_'))
        {
            j++;
        }

        if (j >= s.Length || s[j] != '$')
        {
            return false;
        }

        var tag = s.Substring(i, j - i + 1);
        var end = s.IndexOf(tag, j + 1, StringComparison.Ordinal);
        if (end < 0)
        {
            errors.Add(new SqlLexError(line, i, $"unterminated dollar-quoted body {tag}"));
            i = s.Length;
        }
        else
        {
            i = end + tag.Length;
        }

        return true;
    }
}
