using TradingBot.Migrations.Engine.Safety.Rules;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>One suppression comment: the rules it names, why, and the statement it covers (null: the whole file).</summary>
internal sealed record Suppression(IReadOnlySet<string> Rules, string Reason, int? StatementIndex, int Line);

/// <summary>
/// Reads suppression comments:
/// <c>-- safety: ignore rule-a, rule-b reason: why this is safe</c> covers the statement on the same line
/// (a trailing comment) or the next statement; <c>-- safety: ignore-file rule-a reason: ...</c> covers the
/// whole script. Block comments work the same way. A comment without a reason or naming an unknown rule
/// is reported as invalid-suppression and suppresses nothing.
/// </summary>
internal static class Suppressions
{
    private const string Prefix = "safety:";

    public static List<Suppression> Read(ScriptContext context, FindingSink sink)
    {
        var result = new List<Suppression>();
        var tokens = context.Parsed.Tokenization.Tokens;
        var source = context.Parsed.Source;
        for (var j = 0; j < tokens.Count; j++)
        {
            var token = tokens[j];
            if (token.Kind is not (SqlTokenKind.LineComment or SqlTokenKind.BlockComment))
            {
                continue;
            }

            var body = token.Kind == SqlTokenKind.LineComment
                ? source.AsSpan(token.Start + 2, token.Length - 2)
                : source.AsSpan(token.Start + 2, Math.Max(0, token.Length - (source.AsSpan(token.Start, token.Length).EndsWith("*/") ? 4 : 2)));
            body = body.Trim();
            if (!body.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parsed = Parse(body[Prefix.Length..].Trim().ToString(), out var problem);
            if (parsed is null)
            {
                sink.ReportAt(SafetyRules.Get("invalid-suppression"), token.Line, null, problem!);
                continue;
            }

            var (rules, reason, fileWide) = parsed.Value;
            var target = fileWide ? null : TargetStatement(context, tokens, j);
            if (target == -1)
            {
                sink.ReportAt(SafetyRules.Get("invalid-suppression"), token.Line, null, "the suppression has no statement after it to cover (use ignore-file for the whole script)");
                continue;
            }

            result.Add(new Suppression(rules, reason, target, token.Line));
        }

        return result;
    }

    public static void Apply(List<SafetyFinding> findings, List<int?> statementIndexes, List<Suppression> suppressions)
    {
        if (suppressions.Count == 0)
        {
            return;
        }

        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            if (f.Rule == "invalid-suppression")
            {
                continue;
            }

            var index = i < statementIndexes.Count ? statementIndexes[i] : null;
            var match = suppressions.FirstOrDefault(s => s.Rules.Contains(f.Rule) && (s.StatementIndex is null || index is null || s.StatementIndex == index));
            if (match is not null)
            {
                findings[i] = f with { Suppressed = true, SuppressionReason = match.Reason };
            }
        }
    }

    private static (IReadOnlySet<string> Rules, string Reason, bool FileWide)? Parse(string text, out string? problem)
    {
        problem = null;
        bool fileWide;
        if (text.StartsWith("ignore-file", StringComparison.OrdinalIgnoreCase))
        {
            fileWide = true;
            text = text["ignore-file".Length..];
        }
        else if (text.StartsWith("ignore", StringComparison.OrdinalIgnoreCase))
        {
            fileWide = false;
            text = text["ignore".Length..];
        }
        else
        {
            problem = "a safety: comment must say 'ignore <rule-id> reason: ...' or 'ignore-file <rule-id> reason: ...'";
            return null;
        }

        var at = text.IndexOf("reason:", StringComparison.OrdinalIgnoreCase);
        var ids = (at < 0 ? text : text[..at]).Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = at < 0 ? string.Empty : text[(at + "reason:".Length)..].Trim();
        if (ids.Length == 0)
        {
            problem = "the suppression names no rule id";
            return null;
        }

        var unknown = ids.Where(id => !SafetyRules.Exists(id)).ToList();
        if (unknown.Count > 0)
        {
            problem = $"the suppression names unknown rule id(s) {string.Join(", ", unknown)}";
            return null;
        }

        if (reason.Length == 0)
        {
            problem = $"the suppression of {string.Join(", ", ids)} gives no reason (add 'reason: ...'); it is ignored";
            return null;
        }

        return (new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase), reason, fileWide);
    }

    private static int? TargetStatement(ScriptContext context, IReadOnlyList<SqlToken> tokens, int commentIndex)
    {
        var comment = tokens[commentIndex];
        var statements = context.Statements;

        // Inside a statement (a comment between its lines): that statement.
        foreach (var s in statements)
        {
            var st = s.Statement;
            if (st.Offset < comment.Start && comment.Start < st.Offset + st.Text.Length)
            {
                return s.Index;
            }
        }

        // Trailing a statement on the same line: that statement.
        var k = commentIndex - 1;
        while (k >= 0 && tokens[k].Kind == SqlTokenKind.Whitespace && context.Parsed.Source.IndexOf('\n', tokens[k].Start, tokens[k].Length) < 0)
        {
            k--;
        }

        if (k >= 0 && !tokens[k].IsTrivia)
        {
            var before = statements.LastOrDefault(s => s.Statement.Offset <= tokens[k].Start);
            if (before is not null)
            {
                return before.Index;
            }
        }

        // On its own line: the next statement.
        return statements.FirstOrDefault(s => s.Statement.Offset > comment.Start)?.Index ?? -1;
    }
}
