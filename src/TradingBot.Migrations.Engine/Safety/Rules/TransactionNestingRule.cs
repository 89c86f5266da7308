using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>
/// Transaction control that does not do what the script seems to expect, short of what the migrator refuses: a BEGIN
/// inside a transaction, or a COMMIT or ROLLBACK with no transaction to end in a script marked -- transaction: none.
/// A statement that ends the migrator's own transaction is transaction-control-in-migration's (an Error).
/// </summary>
internal sealed class TransactionNestingRule : StatementRule
{
    public override string Id => "transaction-nesting";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "BEGIN inside a transaction (the migrator's, or one the script opened) does not start a new one: PostgreSQL warns and carries on in the same transaction, SQLite refuses it. COMMIT or ROLLBACK with no BEGIN before it in a script marked -- transaction: none has no transaction to end.";

    public override string Remedy => "Remove the BEGIN and let the migrator own the transaction; in a script marked -- transaction: none, pair each BEGIN with one COMMIT or ROLLBACK.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        var before = context.Before[statement.Index];
        if (statement.Kind == StatementKind.Begin && before.InTransaction)
        {
            sink.Report(this, statement, before.ExplicitTransactionDepth > 0 ? "BEGIN inside a BEGIN block" : "BEGIN inside the migration's own transaction");
        }
        else if (!context.RunsInTransaction && before.ExplicitTransactionDepth == 0 && TransactionStatements.EndsTheTransaction(statement.Statement))
        {
            sink.Report(this, statement, $"{TransactionControlInMigrationRule.Named(statement)} without a BEGIN");
        }
    }
}
