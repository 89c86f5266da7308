namespace TradingBot.Migrations.Engine.Sql;

/// <summary>What a statement does to the transaction it runs in, read from its first words.</summary>
internal enum TransactionEffect
{
    /// <summary>Not a transaction-control statement, or one that stays inside the transaction (SAVEPOINT, ROLLBACK TO, COMMIT PREPARED).</summary>
    None,

    /// <summary>BEGIN or START TRANSACTION: inside a transaction PostgreSQL warns and carries on in the same one.</summary>
    Begins,

    /// <summary>COMMIT or END (not COMMIT PREPARED).</summary>
    Commits,

    /// <summary>ROLLBACK or ABORT (not ROLLBACK TO [SAVEPOINT] or ROLLBACK PREPARED).</summary>
    RollsBack,

    /// <summary>PREPARE TRANSACTION: ends the transaction by handing it to two-phase commit.</summary>
    PreparesForTwoPhaseCommit,
}

/// <summary>
/// Reads transaction-control statements. The migrator refuses a statement that ends the transaction it runs a step in
/// (after one, the rest of the script and the history row would run outside it), and the linter's
/// transaction-control-in-migration rule reports the same statements: both ask here, so they cannot disagree.
/// </summary>
internal static class TransactionStatements
{
    public static TransactionEffect EffectOf(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Verb switch
        {
            "BEGIN" or "START" => TransactionEffect.Begins,
            "COMMIT" or "END" => WordAt(statement, 1) == "PREPARED" ? TransactionEffect.None : TransactionEffect.Commits,
            "ABORT" => TransactionEffect.RollsBack,
            "ROLLBACK" => WordAt(statement, 1) == "PREPARED" || HasWord(statement, "TO") ? TransactionEffect.None : TransactionEffect.RollsBack,
            "PREPARE" => WordAt(statement, 1) == "TRANSACTION" ? TransactionEffect.PreparesForTwoPhaseCommit : TransactionEffect.None,
            _ => TransactionEffect.None,
        };
    }

    public static bool EndsTheTransaction(SqlStatement statement) => EndsTheTransaction(EffectOf(statement));

    public static bool EndsTheTransaction(TransactionEffect effect) =>
        effect is TransactionEffect.Commits or TransactionEffect.RollsBack or TransactionEffect.PreparesForTwoPhaseCommit;

    /// <summary>The first statement that would end the transaction a script runs in, or null.</summary>
    public static SqlStatement? FirstThatEndsTheTransaction(IEnumerable<SqlStatement> statements) =>
        statements.FirstOrDefault(EndsTheTransaction);

    private static IEnumerable<string> Words(SqlStatement statement) =>
        statement.Tokens.Where(t => !t.IsTrivia)
            .Select(t => t.Kind == SqlTokenKind.Word ? statement.Text.Substring(t.Start - statement.Offset, t.Length).ToUpperInvariant() : string.Empty);

    private static string? WordAt(SqlStatement statement, int index) => Words(statement).Skip(index).FirstOrDefault();

    private static bool HasWord(SqlStatement statement, string word) => Words(statement).Contains(word, StringComparer.Ordinal);
}
