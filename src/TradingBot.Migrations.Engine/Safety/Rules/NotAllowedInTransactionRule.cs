using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>
/// VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM, tablespaces and COMMIT/ROLLBACK PREPARED refuse to run inside a
/// transaction block.
/// </summary>
internal sealed class NotAllowedInTransactionRule : StatementRule
{
    public override string Id => "not-allowed-in-transaction";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "The statement cannot run inside a transaction block (VACUUM, CREATE or DROP DATABASE, ALTER SYSTEM, tablespaces, COMMIT or ROLLBACK PREPARED): the migration fails when it reaches it.";

    public override string Remedy => "Move the statement into its own migration marked -- transaction: none, or run it outside the migrations.";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override RuleScripts Scripts => RuleScripts.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (!context.Before[statement.Index].InTransaction)
        {
            return;
        }

        var v = statement.View;
        var what = statement.Kind switch
        {
            StatementKind.Vacuum => "VACUUM",
            StatementKind.DropDatabase => "DROP DATABASE",
            _ when context.Dialect == SqlDialect.PostgreSql && v.Seq(0, "CREATE", "DATABASE") => "CREATE DATABASE",
            _ when context.Dialect == SqlDialect.PostgreSql && v.Seq(0, "ALTER", "SYSTEM") => "ALTER SYSTEM",
            _ when context.Dialect == SqlDialect.PostgreSql && (v.Seq(0, "CREATE", "TABLESPACE") || v.Seq(0, "DROP", "TABLESPACE")) => "a tablespace change",
            _ when context.Dialect == SqlDialect.PostgreSql && (v.Seq(0, "COMMIT", "PREPARED") || v.Seq(0, "ROLLBACK", "PREPARED")) => $"{v.Statement.Verb} PREPARED",
            _ => null,
        };
        if (what is not null)
        {
            sink.Report(this, statement, $"runs {what} in a migration that runs in a transaction; the database refuses it");
        }
    }
}
