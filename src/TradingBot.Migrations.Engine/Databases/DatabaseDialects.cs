using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Databases.Sqlite;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>The registry of databases the engine can migrate: one line each.</summary>
internal static class DatabaseDialects
{
    private static readonly IDatabaseDialect[] All =
    [
        PostgresDialect.Instance,
        SqliteDialect.Instance,
    ];

    public static IDatabaseDialect For(SqlDialect dialect) =>
        Array.Find(All, d => d.Dialect == dialect)
        ?? throw new MigrationException(MigrationErrors.UnsupportedDatabase,
            $"There is no support for {dialect} databases; the module migrates {string.Join(" and ", All.Select(d => d.Dialect))}.");
}
