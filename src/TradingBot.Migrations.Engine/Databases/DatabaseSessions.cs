using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Databases.Sqlite;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Opens the session for a target's dialect.</summary>
public static class DatabaseSessions
{
    /// <param name="userTypesNeeded">
    /// Whether migrations may read values of the database's own types (enums, domains, extension types) through the
    /// session: PowerShell migrations can; the engine and SQL scripts never read such values.
    /// </param>
    public static IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation) =>
        target.Dialect switch
        {
            SqlDialect.PostgreSql => PostgresSession.Open(target, historyTable, userTypesNeeded, cancellation),
            SqlDialect.Sqlite => SqliteSession.Open(target, historyTable, readOnly),
            _ => throw new MigrationException(MigrationErrorKind.InvalidArgument, "UnsupportedDatabase",
                $"There is no support for {target.Dialect} databases; the module migrates PostgreSQL and SQLite."),
        };
}
