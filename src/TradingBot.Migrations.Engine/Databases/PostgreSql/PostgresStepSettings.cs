using Npgsql;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// The settings a step runs with (its lock_timeout and statement_timeout, and client_connection_check_interval), sent so
/// that nothing stays on the server connection afterwards: behind a transaction pooler (PgBouncer's pool_mode =
/// transaction) a session-level SET lands on whichever server connection is free and stays there for the pooler's other
/// clients. So each is set transaction-local (set_config(..., true)), in the same round trip as the statements it covers.
/// </summary>
internal static class PostgresStepSettings
{
    public static IReadOnlyList<(string Setting, string Value)> For(PostgresSession session, StepScript script)
    {
        var settings = new List<(string, string)>(3);
        if (script.LockTimeout is { } lockTimeout)
        {
            settings.Add(("lock_timeout", lockTimeout));
        }

        if (script.StatementTimeout is { } statementTimeout)
        {
            settings.Add(("statement_timeout", statementTimeout));
        }

        if (session.WatchesForClientDeath)
        {
            settings.Add(("client_connection_check_interval", "1000"));
        }

        return settings;
    }

    /// <summary>Commands that set <paramref name="settings"/> for the rest of the current transaction (or, with
    /// <paramref name="local"/> false, the session).</summary>
    public static IEnumerable<NpgsqlBatchCommand> Set(IReadOnlyList<(string Setting, string Value)> settings, bool local = true) =>
        settings.Select(s => new NpgsqlBatchCommand("SELECT set_config($1, $2, $3)")
        {
            Parameters = { new NpgsqlParameter { Value = s.Setting }, new NpgsqlParameter { Value = s.Value }, new NpgsqlParameter { Value = local } },
        });

    public static IEnumerable<NpgsqlBatchCommand> Reset(IReadOnlyList<(string Setting, string Value)> settings) =>
        settings.Select(s => new NpgsqlBatchCommand($"RESET {s.Setting}"));

    /// <summary>
    /// Statements that must be the first of their transaction: those that refuse a transaction block (CONCURRENTLY,
    /// VACUUM; PostgreSQL also refuses them after another statement of the same pipeline) and DO and CALL, whose bodies
    /// may COMMIT (which would end transaction-local settings part-way). Others that refuse one are found by their error.
    /// </summary>
    public static bool MustStartItsTransaction(SqlStatement statement) =>
        statement.Verb == "VACUUM" || !LockRetry.SafeToRepeat(statement, 0); // not SafeToRepeat: DO, CALL or CONCURRENTLY
}
