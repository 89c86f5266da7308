using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class NonIdempotentDdlRule : SafetyRule
{
    public override string Id => "non-idempotent-ddl";

    public override SafetySeverity Severity => SafetySeverity.Info;

    public override string Description => "A migration that runs outside a transaction can fail halfway; DDL without IF [NOT] EXISTS then fails on the retry (a failed CREATE INDEX CONCURRENTLY even leaves an invalid index behind).";

    public override string Remedy => "Use CREATE ... IF NOT EXISTS, DROP ... IF EXISTS and ADD COLUMN IF NOT EXISTS in migrations marked -- transaction: none (drop an invalid index before retrying).";

    public override RuleDialects Dialects => RuleDialects.Both;

    public override void Check(ScriptContext context, FindingSink sink)
    {
        if (context.RunsInTransaction)
        {
            return;
        }

        foreach (var s in context.Statements)
        {
            if (context.Before[s.Index].ExplicitTransactionDepth > 0)
            {
                continue;
            }

            var fragile = s.Kind switch
            {
                StatementKind.CreateTable or StatementKind.CreateIndex or StatementKind.CreateSchema => !s.IfNotExists && !s.Temporary,
                StatementKind.CreateOther => s.Subject is "SEQUENCE" or "EXTENSION" && !s.IfNotExists,
                StatementKind.DropTable or StatementKind.DropIndex or StatementKind.DropSchema => !s.IfExists,
                StatementKind.AlterTable => s.Actions.Any(a => (a.Kind == AlterActionKind.AddColumn && !a.IfNotExists) || (a.Kind == AlterActionKind.DropColumn && !a.IfExists)),
                _ => false,
            };
            if (fragile)
            {
                sink.Report(this, s, "is not safe to re-run after a partial failure of this non-transactional migration");
                return;
            }
        }
    }
}
