namespace TradingBot.Migrations.Engine.Sql;

/// <summary>One statement of a script, without its terminating semicolon, and where it starts in the file.</summary>
public sealed record SqlStatement(string Text, int Line, int Offset, IReadOnlyList<SqlToken> Tokens)
{
    /// <summary>The statement's first word in upper case (CREATE, ALTER, ...), or empty.</summary>
    public string Verb { get; } = FirstWord(Text, Tokens, Offset);

    private static string FirstWord(string text, IReadOnlyList<SqlToken> tokens, int offset)
    {
        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.Word)
            {
                return text.Substring(token.Start - offset, token.Length).ToUpperInvariant();
            }

            if (!token.IsTrivia)
            {
                break;
            }
        }

        return string.Empty;
    }
}
