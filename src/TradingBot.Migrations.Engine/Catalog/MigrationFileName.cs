using TradingBot.Migrations.Engine.Sql;
using System.Text.RegularExpressions;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>Parses `&lt;version&gt;__&lt;name&gt;.up.sql` and its siblings.</summary>
internal static partial class MigrationFileName
{
    /// <summary>What a file is to its version: a SQL script (of a direction, for one dialect or, with none, for all), or the PowerShell script.</summary>
    public readonly record struct Role(ScriptDirection? Direction, SqlDialect? Dialect)
    {
        public bool IsPowerShell => Direction is null;
    }

    public const string Convention =
        "<version>__<name>.up.sql / .down.sql (or .up.postgres.sql, .up.sqlite.sql, ...), or <version>__<name>.ps1";

    public static bool IsCandidate(string fileName) =>
        fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ||
        fileName.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string fileName, out string version, out string name, out Role role)
    {
        var match = Pattern().Match(fileName);
        version = match.Groups["version"].Value;
        name = match.Groups["name"].Value;
        role = default;
        if (!match.Success)
        {
            return false;
        }

        if (match.Groups["direction"].Success)
        {
            var direction = string.Equals(match.Groups["direction"].Value, "up", StringComparison.OrdinalIgnoreCase) ? ScriptDirection.Up : ScriptDirection.Down;
            SqlDialect? dialect = null;
            if (match.Groups["dialect"].Success)
            {
                if (!SqlDialectFileSuffix.TryParse(match.Groups["dialect"].Value, out var named))
                {
                    return false;
                }

                dialect = named;
            }

            role = new Role(direction, dialect);
        }
        else
        {
            role = new Role(null, null);
        }

        return true;
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^(?<version>[^_]+)__(?<name>[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)\.(?:(?<direction>up|down)(?:\.(?<dialect>[A-Za-z]+))?\.sql|ps1)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
