using System.Data.Common;

namespace TradingBot.Migrations.Engine.History;

/// <summary>What adopting a database needs of the history: another tool's table, and rows recorded without running a script.</summary>
internal sealed partial class HistoryStore
{
    /// <summary>The columns of a table (lower case, in order), or null when there is no such table.</summary>
    public IReadOnlyList<string>? ColumnsOf(HistoryTableName other)
    {
        var query = dialect.ColumnsQuery(other);
        using var command = Command(query, null);
        var columns = connection.Run(command, () =>
        {
            var names = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0).ToLowerInvariant());
            }

            return names;
        }, CancellationToken.None);
        return columns.Count == 0 ? null : columns;
    }

    /// <summary>SQL for a column holding a timestamp without zone, written in the server's local time by another tool's default, in UTC.</summary>
    public string UtcTimestampSql(string column) => dialect.UtcTimestampSql(column);

    /// <summary>Every row of a query on another tool's table, as the driver reads its values.</summary>
    public IReadOnlyList<object?[]> ReadRows(string sql, CancellationToken cancellation)
    {
        using var command = Command(new HistoryCommand(sql, []), null);
        return connection.Run(command, () =>
        {
            var rows = new List<object?[]>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(values);
            }

            return rows;
        }, cancellation);
    }

    /// <summary>Renames another tool's table (it is kept whole, rows and all), in the caller's transaction.</summary>
    public void MoveAside(HistoryTableName other, string newName, DbTransaction transaction, CancellationToken cancellation) =>
        Execute(new HistoryCommand($"ALTER TABLE {other.Quoted} RENAME TO {HistoryTableName.Quote(newName)}", []), transaction, cancellation);

    /// <summary>Creates the history table and its audit log if missing, in the caller's transaction.</summary>
    public void EnsureWithAuditLog(DbTransaction transaction, CancellationToken cancellation)
    {
        Execute(new HistoryCommand(dialect.CreateTableSql(table), []), transaction, cancellation);
        Execute(new HistoryCommand(dialect.CreateRepairLogSql(table.RepairLog), []), transaction, cancellation);
    }

    /// <summary>
    /// Records a migration that was not run by this module (another tool applied it, or a baseline says the schema has it),
    /// with its audit row saying why (<paramref name="action"/>), by whom and when, in the caller's transaction.
    /// </summary>
    public void Adopt(HistoryRecord record, string action, string adoptedBy, DbTransaction transaction, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(record);
        Execute(CommandFor(new HistoryChange.Insert(record)), transaction, cancellation);
        Execute(new HistoryCommand(
            $"INSERT INTO {table.RepairLog.Quoted} (version, name, action, previous_state, previous_checksum, new_checksum, repaired_by, repaired_at) VALUES ($1, $2, $3, 'Pending', NULL, $4, $5, {dialect.CurrentTimeSql})",
            [record.Version, record.Name, action, record.Checksum, adoptedBy]), transaction, cancellation);
    }
}
