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
    public static SqlStatement? FirstThatEndsTheTransaction(string source, IReadOnlyList<SqlStatement> statements, SqlDialect dialect) =>
        statements.FirstOrDefault(s => EndsTheTransaction(source, s, dialect));

    // The linter's classifier already tells COMMIT and ROLLBACK from COMMIT PREPARED and ROLLBACK TO; PREPARE
    // TRANSACTION (which hands the transaction over for a two-phase commit) it leaves as Other.
    private static bool EndsTheTransaction(string source, SqlStatement statement, SqlDialect dialect)
    {
        if (statement.Verb is not ("COMMIT" or "END" or "ROLLBACK" or "ABORT" or "PREPARE"))
        {
            return false;
        }

        var view = new StatementView(source, statement, dialect);
        return statement.Verb == "PREPARE"
            ? view.Is(1, "TRANSACTION")
            : StatementClassifier.Classify(view, 0).Kind is StatementKind.Commit or StatementKind.Rollback;
    }
}
