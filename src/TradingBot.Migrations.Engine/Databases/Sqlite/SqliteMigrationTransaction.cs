using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

internal sealed class SqliteMigrationTransaction(SqliteSession session, SqliteTransaction transaction, CancellationToken cancellation) : IMigrationTransaction
{
    public int Execute(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        using var reader = command.ExecuteReader();
        return DataReaderRows.ReadAll(reader);
    }

    public object? Scalar(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public bool Commit(HistoryChange change)
    {
        if (session.History.AlreadyDone(change, transaction))
        {
            transaction.Rollback();
            return false;
        }

        session.History.Write(change, transaction, cancellation);
        transaction.Commit();
        return true;
    }

    public void Dispose()
    {
        session.EndWrite();
        transaction.Dispose();
    }

    private SqliteCommand Prepare(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        cancellation.ThrowIfCancellationRequested();
        var command = session.Command(sql);
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            command.Parameters.AddWithValue(name.StartsWith('@') || name.StartsWith('$') || name.StartsWith(':') ? name : "@" + name, value ?? DBNull.Value);
        }

        return command;
    }
}
