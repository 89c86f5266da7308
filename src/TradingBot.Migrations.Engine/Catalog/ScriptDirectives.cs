using System.Globalization;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// Settings read from `-- key: value` comments at the top of a SQL file, before the first statement:
/// `-- transaction: none`, `-- lock_timeout: 5s`, `-- statement_timeout: 10min`.
/// Other comments are ignored; a known key with a bad value is an error.
/// </summary>
public sealed record ScriptDirectives(bool RunsInTransaction, string? LockTimeout, string? StatementTimeout)
{
    public static readonly ScriptDirectives Default = new(true, null, null);

    public static ScriptDirectives Parse(string path, string text)
    {
        var result = Default;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var body = line[2..].Trim();
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = body[..colon].Trim().ToLowerInvariant();
            var value = body[(colon + 1)..].Trim();
            result = key switch
            {
                "transaction" => result with { RunsInTransaction = ParseTransaction(path, lineNumber, value) },
                "lock_timeout" or "lock-timeout" => result with { LockTimeout = ParseTimeout(path, lineNumber, key, value) },
                "statement_timeout" or "statement-timeout" => result with { StatementTimeout = ParseTimeout(path, lineNumber, key, value) },
                _ => result,
            };
        }

        return result;
    }

    /// <summary>
    /// The directives as the runner reads them, for the linter: a script whose directive the runner refuses reads as the
    /// defaults here (the runner's InvalidDirective error is what reports it).
    /// </summary>
    public static ScriptDirectives ParseOrDefault(string text)
    {
        try
        {
            return Parse(string.Empty, text);
        }
        catch (MigrationException)
        {
            return Default;
        }
    }

    private static bool ParseTransaction(string path, int line, string value) => value.ToLowerInvariant() switch
    {
        "none" or "off" or "false" => false,
        "default" or "on" or "true" => true,
        _ => throw BadDirective(path, line, $"'-- transaction: {value}' is not understood: write '-- transaction: none' to run outside a transaction"),
    };

    private static string ParseTimeout(string path, int line, string key, string value) =>
        TryNormaliseTimeout(value, out var normalised)
            ? normalised
            : throw BadDirective(path, line, $"'-- {key}: {value}' is not a duration: write a number with ms, s, min or h, such as '-- {key}: 5s'");

    /// <summary>A PostgreSQL duration (a number with ms, s, min or h, or none for milliseconds), as PostgreSQL accepts it.</summary>
    public static bool TryNormaliseTimeout(string value, out string normalised)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        var digits = value.TakeWhile(char.IsAsciiDigit).Count();
        var unit = value[digits..].Trim().ToLowerInvariant();
        if (digits == 0 || !long.TryParse(value[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out _) ||
            unit is not ("" or "ms" or "s" or "min" or "h"))
        {
            normalised = string.Empty;
            return false;
        }

        normalised = value[..digits] + unit;
        return true;
    }

    private static MigrationException BadDirective(string path, int line, string message) =>
        new(MigrationErrors.InvalidDirective, $"{path}:{line}: {message}") { FilePath = path, Line = line };
}
