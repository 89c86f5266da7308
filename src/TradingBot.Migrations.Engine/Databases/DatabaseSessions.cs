using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Databases.Sqlite;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Opens the session for a target's dialect.</summary>
public static class DatabaseSessions
{
    public static IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, CancellationToken cancellation) =>
        target.Dialect switch
        {
            SqlDialect.PostgreSql => PostgresSession.Open(target, historyTable, cancellation),
            _ => SqliteSession.Open(target, historyTable, readOnly),
        };
}
