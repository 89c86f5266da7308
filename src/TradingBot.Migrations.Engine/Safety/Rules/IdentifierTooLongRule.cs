using System.Text;
using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>squawk's identifier-too-long.</summary>
internal sealed class IdentifierTooLongRule : StatementRule
{
    private const int MaxIdentifierBytes = 63;

    public override string Id => "identifier-too-long";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "PostgreSQL keeps at most NAMEDATALEN-1 bytes (63 by default) of an identifier and truncates longer ones with only a NOTICE (Identifiers and Key Words): the object is created under a name the script does not say, and two long names can collide once truncated.";

    public override string Remedy => "Shorten the name to 63 bytes or fewer (count bytes, not characters, for non-ASCII names).";

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        var v = statement.View;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < v.Count; i++)
        {
            if (v.Kind(i) is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            {
                continue;
            }

            var text = v.Text(i);
            var name = v.Kind(i) == SqlTokenKind.QuotedIdentifier && text.Length >= 2 && text[0] == '"' ? text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : text;
            var bytes = Encoding.UTF8.GetByteCount(name);
            if (bytes > MaxIdentifierBytes && seen.Add(name))
            {
                sink.Report(this, statement, $"identifier {text} is {bytes} bytes: PostgreSQL truncates it to 63");
            }
        }
    }
}
