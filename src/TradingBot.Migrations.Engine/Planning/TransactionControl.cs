using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Planning;

/// <summary>
/// Finds statements that would end the transaction the migrator runs a step in: COMMIT, END, ROLLBACK, ABORT and
/// PREPARE TRANSACTION. After one, the rest of the script and the history row run outside that transaction, so a
/// later failure leaves the step half applied, or the step is recorded with part of it undone. BEGIN alone is not
/// one (PostgreSQL warns and carries on in the same transaction); SAVEPOINT, RELEASE and ROLLBACK TO stay inside it.
/// </summary>
internal static class TransactionControl
{
    // The question is the linter's (StatementClassifier.EndsTheTransaction), so that the transaction-control-in-migration
    // rule reports exactly what the planner refuses.
    public static SqlStatement? FirstThatEndsTheTransaction(string source, IReadOnlyList<SqlStatement> statements, SqlDialect dialect) =>
        statements.FirstOrDefault(s => StatementClassifier.EndsTheTransaction(source, s, dialect));
}
