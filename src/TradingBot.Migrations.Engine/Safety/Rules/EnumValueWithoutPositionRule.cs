using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>squawk's require-enum-value-ordering.</summary>
internal sealed class EnumValueWithoutPositionRule : StatementRule
{
    public override string Id => "enum-value-without-position";

    public override SafetySeverity Severity => SafetySeverity.Info;

    public override string Description => "ALTER TYPE ... ADD VALUE without BEFORE or AFTER puts the value at the end of the enum, and enum values compare in declaration order (PostgreSQL: ALTER TYPE, Enumerated Types): a query such as status < 'approved' silently changes meaning when the new value belongs in the middle.";

    public override string Remedy => "Say where the value goes: ALTER TYPE ... ADD VALUE 'pending_review' BEFORE 'approved' (or AFTER 'submitted'); when it does belong last, AFTER the current last value says so.";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        var v = statement.View;
        if (statement.Kind != StatementKind.AlterType || statement.Subject != "ADD")
        {
            return;
        }

        // A type this script created has no queries that compare its values yet.
        var createdHere = context.Statements.Take(statement.Index).Any(s =>
            s.Kind == StatementKind.CreateOther && s.Subject == "TYPE" && s.View.ReadName(2)?.Key == statement.Target?.Key);
        var add = v.Find("ADD");
        if (!createdHere && v.Is(add + 1, "VALUE") && !v.Contains("BEFORE", add) && !v.Contains("AFTER", add))
        {
            sink.Report(this, statement, $"adds a value to {statement.Target?.Display ?? "the enum"} at the end, without BEFORE or AFTER");
        }
    }
}
