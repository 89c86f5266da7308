using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Databases.Sqlite;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>The registry of databases the engine can migrate: one line each.</summary>
internal static class DatabaseDialects
{
    /// <summary>Every database, in the order a -Database value without a scheme is offered to them.</summary>
    public static readonly IReadOnlyList<IDatabaseDialect> All =
    [
        SqliteDialect.Instance,     // first: a file name such as backups/app=v2.db is SQLite's, not a keyword string
        PostgresDialect.Instance,
    ];

    public static IDatabaseDialect For(SqlDialect dialect) =>
        All.FirstOrDefault(d => d.Dialect == dialect)
        ?? throw new MigrationException(MigrationErrors.UnsupportedDatabase,
            $"There is no support for {dialect} databases; the module migrates {string.Join(" and ", All.Select(d => d.Dialect))}.");
}
