using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>
/// What Invoke-Migration and Undo-Migration refuse before running anything (TransactionControlInMigration): a statement
/// that ends the transaction the migrator runs the script in. Asks Sql.TransactionStatements, as the planner does, so the two agree.
/// </summary>
internal sealed class TransactionControlInMigrationRule : StatementRule
{
    public override string Id => "transaction-control-in-migration";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "COMMIT, END, ROLLBACK, ABORT or PREPARE TRANSACTION in a script the migrator runs in a transaction would end that transaction: what followed, and the history row, would run outside it. Invoke-Migration and Undo-Migration refuse the migration before running anything (TransactionControlInMigration).";

    public override string Remedy => "Remove the statement and let the migrator commit the script with its history row, or put -- transaction: none on the script's first comment lines and manage transactions yourself. SAVEPOINT, RELEASE and ROLLBACK TO are fine.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    /// <summary>How a message names the statement: its verb, or PREPARE TRANSACTION.</summary>
    internal static string Named(StatementInfo statement) =>
        statement.Kind == StatementKind.PrepareTransaction ? "PREPARE TRANSACTION" : statement.Statement.Verb;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        var v = statement.View;
        if (context.RunsInTransaction && TransactionStatements.EndsTheTransaction(v.Statement))
        {
            sink.Report(this, statement,
                $"{Named(statement)} would end the transaction the migrator runs this script in, so the migration is refused before anything runs " +
                "(TransactionControlInMigration): remove it, or mark the script -- transaction: none and manage transactions yourself");
        }
    }
}
