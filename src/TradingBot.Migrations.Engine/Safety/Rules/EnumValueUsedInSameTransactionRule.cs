using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>ALTER TYPE ... ADD VALUE 'x' and then a use of 'x' before the transaction commits.</summary>
internal sealed class EnumValueUsedInSameTransactionRule : SafetyRule
{
    public override string Id => "enum-value-used-in-same-transaction";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "A value added to an enum cannot be used until the transaction that added it commits (unsafe use of new value): the migration fails.";

    public override string Remedy => "Add the enum value in its own migration (or one marked -- transaction: none), and use it in a later one.";

    public override void Check(ScriptContext context, FindingSink sink)
    {
        var added = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in context.Statements)
        {
            var before = context.Before[s.Index];
            if (!before.InTransaction || s.Kind is StatementKind.Commit or StatementKind.Rollback)
            {
                added.Clear();
                continue;
            }

            var v = s.View;
            if (s.Kind == StatementKind.AlterType && s.Subject == "ADD")
            {
                var value = v.Find("VALUE");
                var literal = value < 0 ? -1 : v.Seq(value + 1, "IF", "NOT", "EXISTS") ? value + 4 : value + 1;
                if (literal > 0 && v.Kind(literal) == SqlTokenKind.StringLiteral)
                {
                    added.TryAdd(v.Text(literal), s.Target?.Display ?? "?");
                }

                continue;
            }

            for (var k = 0; k < v.Count && added.Count > 0; k++)
            {
                if (v.Kind(k) == SqlTokenKind.StringLiteral && added.TryGetValue(v.Text(k), out var type))
                {
                    sink.Report(this, s, $"uses {v.Text(k)}, added to {type} earlier in the same transaction");
                    break;
                }
            }
        }
    }
}
