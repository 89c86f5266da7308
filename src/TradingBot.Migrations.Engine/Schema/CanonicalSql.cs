using System.Text;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// SQL text as the schema text keeps it where a catalog stores only what was written (SQLite): comments dropped and
/// whitespace made single spaces (none inside parentheses or before a comma), so layout and comments are no difference.
/// </summary>
internal static class CanonicalSql
{
    public static string Text(string sql, SqlDialect dialect) => Join(Tokens(sql, dialect), sql);

    /// <summary>
    /// The CHECK constraints in a CREATE TABLE: the name CONSTRAINT gave (or null) and the expression inside the parentheses.
    /// </summary>
    public static IReadOnlyList<(string? Name, string Expression)> Checks(string createTable, SqlDialect dialect)
    {
        var tokens = Tokens(createTable, dialect);
        var checks = new List<(string?, string)>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].IsWord(createTable, "CHECK") || tokens[i + 1].Kind != SqlTokenKind.OpenParen)
            {
                continue;
            }

            var end = i + 1;
            for (var depth = 0; end < tokens.Count; end++)
            {
                depth += tokens[end].Kind == SqlTokenKind.OpenParen ? 1 : tokens[end].Kind == SqlTokenKind.CloseParen ? -1 : 0;
                if (depth == 0)
                {
                    break;
                }
            }

            var name = i >= 2 && tokens[i - 2].IsWord(createTable, "CONSTRAINT") ? Unquote(tokens[i - 1].Text(createTable)) : null;
            checks.Add((name, Join(tokens.Skip(i + 2).Take(end - i - 2).ToList(), createTable)));
            i = end;
        }

        return checks;
    }

    // Without comments, whitespace and the closing semicolons (a trigger body keeps its own).
    private static List<SqlToken> Tokens(string sql, SqlDialect dialect)
    {
        var tokens = SqlLexer.Tokenize(sql, dialect).Tokens.Where(t => !t.IsTrivia).ToList();
        while (tokens.Count > 0 && tokens[^1].Kind == SqlTokenKind.Semicolon)
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        return tokens;
    }

    private static string Join(List<SqlToken> tokens, string source)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var glued = i == 0 || tokens[i].Kind is SqlTokenKind.CloseParen or SqlTokenKind.Comma or SqlTokenKind.Semicolon ||
                tokens[i - 1].Kind == SqlTokenKind.OpenParen || IsDot(tokens[i], source) || IsDot(tokens[i - 1], source);
            text.Append(glued ? string.Empty : " ").Append(tokens[i].Text(source));
        }

        return text.ToString();
    }

    private static bool IsDot(SqlToken token, string source) => token.Kind == SqlTokenKind.Operator && token.Length == 1 && source[token.Start] == '.';

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] is '"' or '`' or '[' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;
}
