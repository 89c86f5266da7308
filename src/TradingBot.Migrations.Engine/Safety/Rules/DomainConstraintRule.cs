using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DomainConstraintRule : StatementRule
{
    public override string Id => "domain-constraint";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override LockClaim Claims => LockClaim.Locks;

    public override string Description => "Adding a constraint (or NOT NULL) to a domain checks every column of every table that uses it, under locks on all of them.";

    public override string Remedy => "Add the domain constraint NOT VALID and VALIDATE it later, or put CHECK constraints on the tables instead of the domain.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.AlterDomain && ((statement.Subject == "ADD" && !statement.NotValid) || statement.Subject == "SET NOT NULL"))
        {
            sink.Report(this, statement, $"constrains domain {statement.Target?.Display ?? "?"}: every column using it is checked");
        }
    }
}
