using Npgsql;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

internal sealed class PostgresMigrationTransaction(PostgresSession session, NpgsqlTransaction transaction, CancellationToken cancellation) : IMigrationTransaction
{
    public int Execute(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        return session.Run(command, () => command.ExecuteNonQuery(), cancellation);
    }

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        return session.Run(command, () =>
        {
            using var reader = command.ExecuteReader();
            return DataReaderRows.ReadAll(reader);
        }, cancellation);
    }

    public object? Scalar(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var command = Prepare(sql, parameters);
        var value = session.Run(command, () => command.ExecuteScalar(), cancellation);
        return value is DBNull ? null : value;
    }

    public bool Commit(HistoryChange change)
    {
        session.History.Write(change, transaction, cancellation);
        transaction.Commit();
        return true;
    }

    public void Dispose() => transaction.Dispose();

    private NpgsqlCommand Prepare(string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        var command = session.Command(sql, transaction);
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            command.Parameters.AddWithValue(name.TrimStart('@', ':'), value ?? DBNull.Value);
        }

        return command;
    }
}
