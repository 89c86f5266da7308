using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>
/// SQLite's table rebuild (create new, copy, drop old, rename) is the documented way around ALTER TABLE's limits, and it drops a
/// populated table: what the copy leaves out (a column, a row, an index, a trigger, a foreign key) is gone.
/// </summary>
internal sealed class SqliteTableRebuildRule : StatementRule
{
    public override string Id => "sqlite-table-rebuild";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "The script rebuilds a table (copies its rows into another, drops it, renames the copy): the populated table is dropped, and whatever the copy left out (columns, rows, indexes, triggers, foreign keys) is gone with it.";

    public override string Remedy => "Review the copy: every column in the INSERT ... SELECT, every index, trigger and view recreated after the rename, foreign keys checked with PRAGMA foreign_key_check; keep the old table under another name until the release is proven if you can.";

    public override RuleDialects Dialects => RuleDialects.Sqlite;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.DropTable || statement.Temporary)
        {
            return;
        }

        foreach (var table in statement.Targets.Where(t => context.IsCopiedOut(t, statement.Index) && !context.IsNewTable(t, statement.Index)))
        {
            sink.Report(this, statement, $"drops {table.Display} after copying its rows out: a table rebuild");
        }
    }
}
