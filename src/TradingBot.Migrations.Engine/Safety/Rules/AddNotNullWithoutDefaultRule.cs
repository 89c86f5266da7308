using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class AddNotNullWithoutDefaultRule : ExistingTableActionRule
{
    public override string Id => "add-not-null-without-default";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "Adding a NOT NULL column without a default fails on any table that has rows (SQLite refuses it outright: sqlite-alter-table-limit).";

    public override string Remedy => "Add the column nullable (or with a constant DEFAULT), backfill it, then add the NOT NULL constraint safely.";

    public override RuleDialects Dialects => RuleDialects.PostgreSql;

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.AddColumn && action.Definition is { NotNull: true, HasDefault: false } d
            ? $"adds NOT NULL column {statement.Target!.Display}.{d.Name.Display} without a default"
            : null;
}
