using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class DropDatabaseRule : StatementRule
{
    public override string Id => "drop-database";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Dropping a database destroys every table in it and cannot be undone by a down script.";

    public override string Remedy => "Never drop databases from a migration; do it by hand, after a backup, outside the migration history.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.DropDatabase)
        {
            sink.Report(this, statement, $"drops database {statement.Target?.Display ?? "?"}");
        }
    }
}
