using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class VacuumFullOrClusterRule : StatementRule
{
    public override string Id => "vacuum-full-or-cluster";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock: no reads or writes until done.";

    public override string Remedy => "Use pg_repack or pg_squeeze outside the migration, or plain VACUUM.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if ((statement.Kind == StatementKind.Vacuum && statement.Full) || statement.Kind == StatementKind.Cluster)
        {
            sink.Report(this, statement, statement.Kind == StatementKind.Cluster ? "CLUSTER rewrites the table under ACCESS EXCLUSIVE" : "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE");
        }
    }
}
