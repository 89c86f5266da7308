namespace TradingBot.Migrations.Engine.Sql;

public enum SqlTokenKind
{
    Whitespace,
    LineComment,
    BlockComment,
    Word,
    QuotedIdentifier,
    StringLiteral,
    DollarString,
    Number,
    Parameter,
    Semicolon,
    OpenParen,
    CloseParen,
    Comma,
    Operator,
}

/// <summary>One lexical token: where it is in the script and what kind it is.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, int Line)
{
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    public string Text(string source) => source.Substring(Start, Length);

    /// <summary>True for a bare word equal to <paramref name="keyword"/>, ignoring case.</summary>
    public bool IsWord(string source, string keyword) =>
        Kind == SqlTokenKind.Word && Length == keyword.Length &&
        string.Compare(source, Start, keyword, 0, Length, StringComparison.OrdinalIgnoreCase) == 0;
}

/// <summary>A construct the lexer could not close (a string, comment, quoted identifier or dollar body).</summary>
internal sealed record SqlLexError(int Line, int Offset, string Message);

internal sealed record SqlTokenization(string Source, IReadOnlyList<SqlToken> Tokens, IReadOnlyList<SqlLexError> Errors);
