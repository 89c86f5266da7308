using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TradingBot.Migrations.Engine.History;

/// <summary>
/// The history table: ensures, reads, inserts, deletes, marks failed and repairs (with its audit row), written once for
/// every database over ADO.NET; each database supplies only its <see cref="IHistoryDialect"/>. Previews (-WhatIf,
/// -ScriptPath) render the same statements with their values inlined.
/// </summary>
internal sealed partial class HistoryStore(HistoryTableName table, IHistoryDialect dialect, IHistoryConnection connection)
{
    private const string Columns = "version, name, checksum, applied_at, applied_by, execution_ms, state, failed_statement";
    private const string AttemptsColumn = "attempts";

    public HistoryTableName Table => table;

    public bool Exists(CancellationToken cancellation)
    {
        using var command = Command(new HistoryCommand(dialect.TableExistsSql, [dialect.TableExistsArgument(table)]), null);
        return connection.Run(command, () => command.ExecuteScalar(), cancellation) is not null and not DBNull;
    }

    /// <summary>
    /// Creates the history table if missing, and brings an older one up to date: a table made before the attempts column
    /// (lock-timeout retries) gets it, every existing row counting one attempt. Call while holding the run lock.
    /// </summary>
    public void Ensure(CancellationToken cancellation)
    {
        Execute(new HistoryCommand(dialect.CreateTableSql(table), []), null, cancellation);
        if (!HasColumn(AttemptsColumn, cancellation))
        {
            Execute(new HistoryCommand($"ALTER TABLE {table.Quoted} ADD COLUMN {AttemptsColumn} integer NOT NULL DEFAULT 1", []), null, cancellation);
        }
    }

    // Read by name: a table not yet upgraded (read-only commands never upgrade it) has no attempts column.
    public IReadOnlyList<HistoryRecord> Read(CancellationToken cancellation)
    {
        using var command = Command(new HistoryCommand($"SELECT * FROM {table.Quoted}", []), null);
        return connection.Run(command, () =>
        {
            var records = new List<HistoryRecord>();
            using var reader = command.ExecuteReader();
            var at = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, StringComparer.OrdinalIgnoreCase);
            var attempts = at.GetValueOrDefault(AttemptsColumn, -1);
            while (reader.Read())
            {
                records.Add(new HistoryRecord(
                    reader.GetString(at["version"]),
                    reader.GetString(at["name"]),
                    reader.GetString(at["checksum"]),
                    dialect.ReadTime(reader, at["applied_at"]),
                    reader.GetString(at["applied_by"]),
                    reader.GetInt64(at["execution_ms"]),
                    Enum.Parse<HistoryState>(reader.GetString(at["state"]), ignoreCase: true),
                    reader.IsDBNull(at["failed_statement"]) ? null : reader.GetString(at["failed_statement"]),
                    attempts < 0 ? 1 : Convert.ToInt32(reader.GetValue(attempts), CultureInfo.InvariantCulture)));
            }

            return records;
        }, cancellation);
    }

    private bool HasColumn(string column, CancellationToken cancellation)
    {
        using var command = Command(new HistoryCommand($"SELECT * FROM {table.Quoted} WHERE 1 = 0", []), null);
        return connection.Run(command, () =>
        {
            using var reader = command.ExecuteReader();
            return Enumerable.Range(0, reader.FieldCount).Any(i => string.Equals(reader.GetName(i), column, StringComparison.OrdinalIgnoreCase));
        }, cancellation);
    }

    /// <summary>
    /// The statement a history change runs: an insert (replacing a row of the same version when <paramref name="upsert"/>;
    /// timed by the server's clock when <paramref name="timedByServer"/> and the database has one) or a delete.
    /// </summary>
    public HistoryCommand CommandFor(HistoryChange change, bool upsert = false, bool timedByServer = false) =>
        CommandFor(change, upsert, timedByServer ? dialect.ServerTimingSql : null);

    // timing: SQL for applied_at and execution_ms in place of the record's values ($4 and $6), or null for the record's.
    private HistoryCommand CommandFor(HistoryChange change, bool upsert, (string AppliedAt, string ExecutionMilliseconds)? timing)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change is not HistoryChange.Insert { Record: var record })
        {
            return new HistoryCommand($"DELETE FROM {table.Quoted} WHERE version = $1", [change.Version]);
        }

        // The attempts column is written only after a retry, so a first-time insert (and its preview) is what it always was.
        var retried = record.Attempts > 1;
        var sql = $"INSERT INTO {table.Quoted} ({Columns}{(retried ? ", " + AttemptsColumn : string.Empty)}) VALUES ($1, $2, $3, {timing?.AppliedAt ?? "$4"}, $5, {timing?.ExecutionMilliseconds ?? "$6"}, $7, $8{(retried ? ", $9" : string.Empty)})" +
            (upsert ? " ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, applied_at = excluded.applied_at, applied_by = excluded.applied_by, execution_ms = excluded.execution_ms, state = excluded.state, failed_statement = excluded.failed_statement" +
                (retried ? ", attempts = excluded.attempts" : string.Empty) : string.Empty);
        object?[] values = [record.Version, record.Name, record.Checksum, dialect.TimeValue(record.AppliedAtUtc), record.AppliedBy,
            record.ExecutionMilliseconds, record.State.ToString(), record.FailedStatement];
        return new HistoryCommand(sql, retried ? [.. values, record.Attempts] : values);
    }

    public void Write(HistoryChange change, DbTransaction? transaction, CancellationToken cancellation, bool upsert = false) =>
        Execute(CommandFor(change, upsert), transaction, cancellation);

    /// <summary>Records the step as Failed at <paramref name="statement"/>: a new row for an apply, the applied row for a rollback.</summary>
    public void MarkFailed(HistoryChange change, string statement, DbTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(change);
        var command = change is HistoryChange.Insert insert
            ? CommandFor(new HistoryChange.Insert(insert.Record with { State = HistoryState.Failed, FailedStatement = statement }), upsert: true)
            : new HistoryCommand($"UPDATE {table.Quoted} SET state = 'Failed', failed_statement = $1 WHERE version = $2", [statement, change.Version]);
        Execute(command, transaction, CancellationToken.None);
    }

    /// <summary>Whether the history already shows this change done (by another run): applied for an insert, gone for a delete.</summary>
    public bool AlreadyDone(HistoryChange change, DbTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var command = Command(new HistoryCommand($"SELECT count(*) FROM {table.Quoted} WHERE version = $1 AND state = 'Applied'", [change.Version]), transaction);
        var applied = Convert.ToInt64(connection.Run(command, () => command.ExecuteScalar(), CancellationToken.None), CultureInfo.InvariantCulture) > 0;
        return change is HistoryChange.Insert ? applied : !applied;
    }

    /// <summary>
    /// Changes one row as Repair-Migration asks (Applied with a checksum, or deleted) and writes who did it to the
    /// repair log, in the caller's transaction. Runs no script.
    /// </summary>
    public void Repair(HistoryRepair repair, DbTransaction transaction, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(repair);
        Execute(new HistoryCommand(dialect.CreateRepairLogSql(table.RepairLog), []), transaction, cancellation);
        Execute(repair.NewChecksum is null
            ? new HistoryCommand($"DELETE FROM {table.Quoted} WHERE version = $1", [repair.Version])
            : new HistoryCommand(
                $"INSERT INTO {table.Quoted} ({Columns}) VALUES ($1, $2, $3, {dialect.CurrentTimeSql}, $4, 0, 'Applied', NULL) " +
                "ON CONFLICT (version) DO UPDATE SET checksum = excluded.checksum, state = 'Applied', failed_statement = NULL",
                [repair.Version, repair.Name, repair.NewChecksum, repair.RepairedBy]), transaction, cancellation);
        Execute(new HistoryCommand(
            $"INSERT INTO {table.RepairLog.Quoted} (version, name, action, previous_state, previous_checksum, new_checksum, repaired_by, repaired_at) VALUES ($1, $2, $3, $4, $5, $6, $7, {dialect.CurrentTimeSql})",
            [repair.Version, repair.Name, repair.Action, repair.PreviousState, repair.PreviousChecksum, repair.NewChecksum, repair.RepairedBy]), transaction, cancellation);
    }

    /// <summary>The SQL that creates the history table, for previews.</summary>
    public string DescribeCreation() => dialect.CreateTableSql(table);

    /// <summary>The SQL a history change runs, with its values inlined, for previews: applied now, by the server's clock.</summary>
    public string DescribeChange(HistoryChange change)
    {
        var command = CommandFor(change, upsert: false, timing: (dialect.CurrentTimeSql, "0"));
        return Placeholder().Replace(command.Sql, match => Literal(command.Values[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) - 1])) + ";";
    }

    /// <summary>Binds a history command's values to parameters of the database's own kind, in order.</summary>
    public void Bind(DbParameterCollection parameters, Func<DbParameter> newParameter, HistoryCommand command)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(newParameter);
        ArgumentNullException.ThrowIfNull(command);
        for (var i = 0; i < command.Values.Count; i++)
        {
            var parameter = newParameter();
            parameter.ParameterName = dialect.ParameterName(i + 1);
            parameter.Value = command.Values[i] ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    private void Execute(HistoryCommand history, DbTransaction? transaction, CancellationToken cancellation)
    {
        using var command = Command(history, transaction);
        connection.Run(command, () => command.ExecuteNonQuery(), cancellation);
    }

    private DbCommand Command(HistoryCommand history, DbTransaction? transaction)
    {
        var command = connection.CreateCommand(history.Sql, transaction);
        Bind(command.Parameters, command.CreateParameter, history);
        return command;
    }

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        DateTime time => "'" + time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + "'",
        _ => "'" + Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("'", "''", StringComparison.Ordinal) + "'",
    };

    [GeneratedRegex(@"\$(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
