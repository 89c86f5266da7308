using System.Management.Automation;

namespace TradingBot.Migrations.Completion;

/// <summary>The word being completed, as a filter: what was typed so far (quotes dropped) matches the start of a result, any case.</summary>
internal static class CompletionWord
{
    public static Func<CompletionResult, bool> Matcher(string? wordToComplete)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
        return result => pattern.IsMatch(result.ListItemText) || pattern.IsMatch(result.CompletionText.Trim('\'', '"'));
    }

    /// <summary>A value as it must be typed: single-quoted when it holds anything but letters, digits and - _ . / \.</summary>
    public static string Quoted(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '\\')
            ? value
            : $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
