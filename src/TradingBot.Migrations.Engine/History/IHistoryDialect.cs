using System.Data.Common;

namespace TradingBot.Migrations.Engine.History;

/// <summary>
/// What the history store needs a database to say in its own words: column types, how a time is stored and read,
/// and the server's clock. Everything else about the history (its SQL, its rows, repairs) is written once, in
/// <see cref="HistoryStore"/>, with <c>$1</c>-style parameters, which both databases accept.
/// </summary>
internal interface IHistoryDialect
{
    /// <summary>Creates the history table (and, where the database has them, its schema) if missing.</summary>
    string CreateTableSql(HistoryTableName table);

    /// <summary>Creates the repair log (<see cref="HistoryTableName.RepairLog"/>) if missing.</summary>
    string CreateRepairLogSql(HistoryTableName repairLog);

    /// <summary>A query with one parameter ($1) that answers a row when the table exists, and none when it does not.</summary>
    string TableExistsSql { get; }

    /// <summary>The value for <see cref="TableExistsSql"/>'s parameter.</summary>
    object TableExistsArgument(HistoryTableName table);

    /// <summary>
    /// SQL reading <paramref name="column"/>, a timestamp without zone that another tool's default filled with the database's
    /// current time, as UTC (a value the driver reads as a UTC time, or ISO 8601 text in UTC).
    /// </summary>
    string UtcTimestampSql(string column);

    /// <summary>A query answering the names of a table's columns in order, one a row (no rows when there is no such table).</summary>
    HistoryCommand ColumnsQuery(HistoryTableName table);

    /// <summary>The name a parameter at a 1-based position takes (empty where the driver binds $1, $2 by position).</summary>
    string ParameterName(int position);

    /// <summary>A UTC time as the history table stores it.</summary>
    object TimeValue(DateTime utc);

    /// <summary>A stored time, back in UTC.</summary>
    DateTime ReadTime(DbDataReader reader, int ordinal);

    /// <summary>The server's current time, in SQL, stored as <see cref="TimeValue"/> stores a time.</summary>
    string CurrentTimeSql { get; }

    /// <summary>
    /// SQL for (applied_at, execution_ms) by the server's clock when a step's history row is written at the end of its
    /// transaction: when the transaction began and how long it has run; null where the database has no such clock.
    /// </summary>
    (string AppliedAt, string ExecutionMilliseconds)? ServerTimingSql { get; }
}

/// <summary>The connection a history store runs its commands on: the database's own commands and error handling.</summary>
internal interface IHistoryConnection
{
    /// <summary>A command on the connection, in <paramref name="transaction"/> or the one the session has open.</summary>
    DbCommand CreateCommand(string sql, DbTransaction? transaction);

    /// <summary>Runs the command's action, cancelable, turning the driver's errors into the engine's.</summary>
    T Run<T>(DbCommand command, Func<T> action, CancellationToken cancellation);
}

/// <summary>One history statement with its values in parameter order ($1 first).</summary>
internal sealed record HistoryCommand(string Sql, IReadOnlyList<object?> Values);
