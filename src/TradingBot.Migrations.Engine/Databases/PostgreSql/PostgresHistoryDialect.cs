using System.Data.Common;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>The history table in PostgreSQL's words: timestamptz, the server's clock, parameters bound by position.</summary>
internal sealed class PostgresHistoryDialect : IHistoryDialect
{
    public static readonly PostgresHistoryDialect Instance = new();

    public string CreateTableSql(HistoryTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Schema is null ? string.Empty : $"CREATE SCHEMA IF NOT EXISTS {HistoryTableName.Quote(table.Schema)};\n";
        return schema +
            $"""
            CREATE TABLE IF NOT EXISTS {table.Quoted} (
                version text NOT NULL PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                applied_by text NOT NULL,
                execution_ms bigint NOT NULL,
                state text NOT NULL DEFAULT 'Applied',
                failed_statement text,
                attempts integer NOT NULL DEFAULT 1
            )
            """;
    }

    public string CreateRepairLogSql(HistoryTableName repairLog)
    {
        ArgumentNullException.ThrowIfNull(repairLog);
        return $"CREATE TABLE IF NOT EXISTS {repairLog.Quoted} (id bigserial PRIMARY KEY, version text NOT NULL, name text NOT NULL, action text NOT NULL, previous_state text NOT NULL, previous_checksum text, new_checksum text, repaired_by text NOT NULL, repaired_at timestamptz NOT NULL DEFAULT now())";
    }

    public string TableExistsSql => "SELECT 1 WHERE to_regclass($1) IS NOT NULL";

    public object TableExistsArgument(HistoryTableName table) => table.Quoted;

    // now() stored in a timestamp without time zone is the session's local time: read it back in the session's TimeZone.
    public string UtcTimestampSql(string column) => $"({column} AT TIME ZONE current_setting('TimeZone'))";

    // A table without a schema is the one an unqualified name finds: the first schema of the search path that has it.
    public HistoryCommand ColumnsQuery(HistoryTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new HistoryCommand(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum", [table.Quoted]);
    }

    public string ParameterName(int position) => string.Empty;

    public object TimeValue(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc);

    public DateTime ReadTime(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public string CurrentTimeSql => "now()";

    // now() is when the step's transaction began; clock_timestamp() is the moment the history row is written.
    public (string AppliedAt, string ExecutionMilliseconds)? ServerTimingSql =>
        ("now()", "(extract(epoch from clock_timestamp() - now()) * 1000)::bigint");
}
