namespace TradingBot.Migrations.Engine.Sql;

/// <summary>The SQL dialects the engine understands; each has one folder under Databases/.</summary>
public enum SqlDialect
{
    PostgreSql,
    Sqlite,
}

/// <summary>How migration file names name a dialect: <c>1.0.1__name.up.postgres.sql</c> replaces the plain script there.</summary>
internal static class SqlDialectFileSuffix
{
    private static readonly (string Suffix, SqlDialect Dialect)[] Suffixes =
    [
        ("postgres", SqlDialect.PostgreSql),
        ("postgresql", SqlDialect.PostgreSql),
        ("sqlite", SqlDialect.Sqlite),
    ];

    /// <summary>The suffix New-Migration and messages use for a dialect.</summary>
    public static string Of(SqlDialect dialect) => Suffixes.First(s => s.Dialect == dialect).Suffix;

    public static bool TryParse(string suffix, out SqlDialect dialect)
    {
        foreach (var (name, value) in Suffixes)
        {
            if (string.Equals(name, suffix, StringComparison.OrdinalIgnoreCase))
            {
                dialect = value;
                return true;
            }
        }

        dialect = default;
        return false;
    }
}
