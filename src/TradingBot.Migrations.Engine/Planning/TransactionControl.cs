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
    public static SqlStatement? FirstThatEndsTheTransaction(IReadOnlyList<SqlStatement> statements)
    {
        foreach (var statement in statements)
        {
            if (EndsTheTransaction(statement))
            {
                return statement;
            }
        }

        return null;
    }

    private static bool EndsTheTransaction(SqlStatement statement)
    {
        switch (statement.Verb)
        {
            case "COMMIT":
            case "END":
                return !Word(statement, 1, "PREPARED");
            case "ABORT":
                return true;
            case "ROLLBACK":
                var next = Word(statement, 1, "WORK") || Word(statement, 1, "TRANSACTION") ? 2 : 1;
                return !Word(statement, next, "TO") && !Word(statement, next, "PREPARED");
            case "PREPARE":
                return Word(statement, 1, "TRANSACTION");
            default:
                return false;
        }
    }

    // Whether the statement's word number <paramref name="index"/> (0 is the verb), comments aside, is <paramref name="keyword"/>.
    private static bool Word(SqlStatement statement, int index, string keyword)
    {
        foreach (var token in statement.Tokens)
        {
            if (token.IsTrivia)
            {
                continue;
            }

            if (index-- == 0)
            {
                return token.Kind == SqlTokenKind.Word && token.Length == keyword.Length &&
                       string.Compare(statement.Text, token.Start - statement.Offset, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0;
            }
        }

        return false;
    }
}
