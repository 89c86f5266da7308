using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class VacuumFullOrClusterRule : StatementRule
{
    public override string Id => "vacuum-full-or-cluster";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override LockClaim Claims => LockClaim.Rewrites;

    public override string Description => "VACUUM FULL, CLUSTER and REPACK without CONCURRENTLY rewrite the table under an ACCESS EXCLUSIVE lock (PostgreSQL: VACUUM, CLUSTER, REPACK): no reads or writes until done.";

    public override string Remedy => "On PostgreSQL 19+, REPACK (CONCURRENTLY) in a migration marked -- transaction: none (SHARE UPDATE EXCLUSIVE while it copies, ACCESS EXCLUSIVE only for the final swap); before that, pg_repack or pg_squeeze outside the migration, or plain VACUUM.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if ((statement.Kind == StatementKind.Vacuum && statement.Full) || (statement.Kind == StatementKind.Cluster && !statement.Concurrently))
        {
            var what = statement.Kind == StatementKind.Vacuum ? "VACUUM FULL" : statement.Subject == "REPACK" ? "REPACK without CONCURRENTLY" : "CLUSTER";
            sink.Report(this, statement, $"{what} rewrites the table under ACCESS EXCLUSIVE");
        }
    }
}
