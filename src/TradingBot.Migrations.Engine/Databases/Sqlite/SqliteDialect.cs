using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

internal sealed class SqliteDialect : IDatabaseDialect
{
    public static readonly SqliteDialect Instance = new();

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation) =>
        SqliteSession.Open(target, historyTable, readOnly);

    // A file opens at once: there is no connect timeout. The command timeout is how long a write waits for the lock.
    public string WithTimeouts(string connectionString, int? connectTimeoutSeconds, int? commandTimeoutSeconds)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (commandTimeoutSeconds is { } command)
        {
            builder.DefaultTimeout = command;
        }

        return builder.ConnectionString;
    }
}
