using System.Text.RegularExpressions;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>Parses `&lt;version&gt;__&lt;name&gt;.up.sql` and its siblings.</summary>
internal static partial class MigrationFileName
{
    public enum Role
    {
        Up,
        Down,
        UpPostgreSql,
        DownPostgreSql,
        UpSqlite,
        DownSqlite,
        PowerShell,
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
        role = Role.Up;
        if (!match.Success)
        {
            return false;
        }

        role = match.Groups["suffix"].Value.ToLowerInvariant() switch
        {
            "up.sql" => Role.Up,
            "down.sql" => Role.Down,
            "up.postgres.sql" or "up.postgresql.sql" => Role.UpPostgreSql,
            "down.postgres.sql" or "down.postgresql.sql" => Role.DownPostgreSql,
            "up.sqlite.sql" => Role.UpSqlite,
            "down.sqlite.sql" => Role.DownSqlite,
            _ => Role.PowerShell,
        };
        return true;
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^(?<version>[^_]+)__(?<name>[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)\.(?<suffix>up\.sql|down\.sql|up\.postgres(?:ql)?\.sql|down\.postgres(?:ql)?\.sql|up\.sqlite\.sql|down\.sqlite\.sql|ps1)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
