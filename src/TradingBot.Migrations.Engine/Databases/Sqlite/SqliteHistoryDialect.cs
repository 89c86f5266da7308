using System.Data.Common;
using System.Globalization;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>The history table in SQLite's words: times as ISO 8601 UTC text, named $1-style parameters, no schemas.</summary>
internal sealed class SqliteHistoryDialect : IHistoryDialect
{
    public static readonly SqliteHistoryDialect Instance = new();

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public string CreateTableSql(HistoryTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"""
            CREATE TABLE IF NOT EXISTS {table.Quoted} (
                version TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL,
                applied_by TEXT NOT NULL,
                execution_ms INTEGER NOT NULL,
                state TEXT NOT NULL DEFAULT 'Applied',
                failed_statement TEXT,
                attempts INTEGER NOT NULL DEFAULT 1
            )
            """;
    }

    public string CreateRepairLogSql(HistoryTableName repairLog)
    {
        ArgumentNullException.ThrowIfNull(repairLog);
        return $"CREATE TABLE IF NOT EXISTS {repairLog.Quoted} (id INTEGER PRIMARY KEY AUTOINCREMENT, version TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, previous_state TEXT NOT NULL, previous_checksum TEXT, new_checksum TEXT, repaired_by TEXT NOT NULL, repaired_at TEXT NOT NULL)";
    }

    public string TableExistsSql => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1";

    public object TableExistsArgument(HistoryTableName table) => table.Table;

    // datetime('now') and strftime(..., 'now'), the defaults goose and Flyway give the column, are UTC already.
    public string UtcTimestampSql(string column) => column;

    public HistoryCommand ColumnsQuery(HistoryTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new HistoryCommand("SELECT name FROM pragma_table_info($1) ORDER BY cid", [table.Table]);
    }

    // Microsoft.Data.Sqlite binds by name, and SQLite reads $1 as a parameter named "$1".
    public string ParameterName(int position) => "$" + position.ToString(CultureInfo.InvariantCulture);

    public object TimeValue(DateTime utc) => utc.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public DateTime ReadTime(DbDataReader reader, int ordinal) =>
        DateTime.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public string CurrentTimeSql => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    public (string AppliedAt, string ExecutionMilliseconds)? ServerTimingSql => null;
}
