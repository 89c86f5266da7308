using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>
/// The significant (non-trivia) tokens of one statement with their parenthesis depth, and the small
/// matching vocabulary the rules are written in. Built once per statement; nothing is re-lexed.
/// </summary>
internal sealed class StatementView
{
    private readonly SqlToken[] _tokens;
    private readonly int[] _depth;

    public StatementView(string source, SqlStatement statement, SqlDialect dialect)
    {
        Source = source;
        Statement = statement;
        Dialect = dialect;
        var tokens = new List<SqlToken>(statement.Tokens.Count);
        foreach (var token in statement.Tokens)
        {
            if (!token.IsTrivia)
            {
                tokens.Add(token);
            }
        }

        _tokens = [.. tokens];
        _depth = new int[_tokens.Length];
        var depth = 0;
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (_tokens[i].Kind == SqlTokenKind.CloseParen && depth > 0)
            {
                depth--;
            }

            _depth[i] = depth;
            if (_tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
        }
    }

    public string Source { get; }

    public SqlStatement Statement { get; }

    public SqlDialect Dialect { get; }

    public int Count => _tokens.Length;

    public SqlToken this[int index] => _tokens[index];

    /// <summary>Parenthesis depth of token i; an open paren has the depth outside it, its contents one more.</summary>
    public int Depth(int index) => _depth[index];

    public SqlTokenKind Kind(int index) => index < _tokens.Length ? _tokens[index].Kind : SqlTokenKind.Whitespace;

    public string Text(int index) => index < _tokens.Length ? _tokens[index].Text(Source) : string.Empty;

    public bool Is(int index, string keyword) => index >= 0 && index < _tokens.Length && _tokens[index].IsWord(Source, keyword);

    public bool IsAny(int index, params string[] keywords)
    {
        foreach (var keyword in keywords)
        {
            if (Is(index, keyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the words starting at <paramref name="index"/> are exactly <paramref name="keywords"/>.</summary>
    public bool Seq(int index, params string[] keywords)
    {
        for (var k = 0; k < keywords.Length; k++)
        {
            if (!Is(index + k, keywords[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Skips an optional run of words; returns the index after it if all matched, else index.</summary>
    public int Skip(int index, params string[] keywords) => Seq(index, keywords) ? index + keywords.Length : index;

    public bool IsPunct(int index, char c) =>
        index >= 0 && index < _tokens.Length && _tokens[index].Length == 1 && Source[_tokens[index].Start] == c &&
        _tokens[index].Kind is SqlTokenKind.Operator or SqlTokenKind.Comma or SqlTokenKind.OpenParen or SqlTokenKind.CloseParen;

    /// <summary>First index in [from, to) holding the word at the given depth (or any depth when depth is -1).</summary>
    public int Find(string keyword, int from = 0, int to = int.MaxValue, int depth = -1)
    {
        to = Math.Min(to, _tokens.Length);
        for (var i = Math.Max(0, from); i < to; i++)
        {
            if ((depth < 0 || _depth[i] == depth) && _tokens[i].IsWord(Source, keyword))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(string keyword, int from = 0, int to = int.MaxValue, int depth = -1) => Find(keyword, from, to, depth) >= 0;

    /// <summary>Index of the token after the parenthesised group opening at index (or index when it is not an open paren).</summary>
    public int SkipParens(int index)
    {
        if (Kind(index) != SqlTokenKind.OpenParen)
        {
            return index;
        }

        var depth = _depth[index];
        var i = index + 1;
        while (i < _tokens.Length && !(_tokens[i].Kind == SqlTokenKind.CloseParen && _depth[i] == depth))
        {
            i++;
        }

        return Math.Min(i + 1, _tokens.Length);
    }

    /// <summary>Reads a possibly qualified name (a.b."c") at index; null when no name is there.</summary>
    public ObjectName? ReadName(int index, out int next)
    {
        next = index;
        if (!IsName(index))
        {
            return null;
        }

        var parts = new List<string> { Normalize(index) };
        var display = Text(index);
        next = index + 1;
        while (IsPunct(next, '.') && IsName(next + 1))
        {
            parts.Add(Normalize(next + 1));
            display += "." + Text(next + 1);
            next += 2;
        }

        return new ObjectName(parts[^1], string.Join('.', parts), display);
    }

    public ObjectName? ReadName(int index) => ReadName(index, out _);

    public bool IsName(int index) => Kind(index) is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    /// <summary>An identifier as the database sees it: unquoted PostgreSQL names fold to lower case; SQLite ignores case.</summary>
    public string Normalize(int index)
    {
        var token = _tokens[index];
        var text = token.Text(Source);
        if (token.Kind == SqlTokenKind.QuotedIdentifier)
        {
            text = Unquote(text);
            return Dialect == SqlDialect.Sqlite ? text.ToUpperInvariant() : text;
        }

        return Dialect == SqlDialect.Sqlite ? text.ToUpperInvariant() : FoldPostgres(text);
    }

    /// <summary>The statement text of tokens [from, to) as written, for messages.</summary>
    public string Slice(int from, int to)
    {
        to = Math.Min(to, _tokens.Length);
        if (from >= to)
        {
            return string.Empty;
        }

        var start = _tokens[from].Start;
        var end = _tokens[to - 1].Start + _tokens[to - 1].Length;
        return Source[start..end];
    }

    private static string Unquote(string text)
    {
        if (text.StartsWith("U&", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length >= 2)
        {
            var open = text[0];
            var close = open == '[' ? ']' : open;
            var inner = text[1..^1];
            return open == '[' ? inner : inner.Replace(new string(close, 2), close.ToString(), StringComparison.Ordinal);
        }

        return text;
    }

    // PostgreSQL folds unquoted identifiers to lower case, so "users" and Users are one table.
#pragma warning disable CA1308 // The database folds to lower case; upper would mismatch quoted lower-case names.
    private static string FoldPostgres(string text) => text.ToLowerInvariant();
#pragma warning restore CA1308
}

/// <summary>A database object name: Key is the last part as the database compares it, Display as written.</summary>
internal sealed record ObjectName(string Key, string Qualified, string Display)
{
    public override string ToString() => Display;
}
