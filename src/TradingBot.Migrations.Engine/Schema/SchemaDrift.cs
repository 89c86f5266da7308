using System.Text;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>
/// What two schemas' comparison found: each side named for the user (never a password), and the differences, read as
/// "the difference side compared with the reference side".
/// </summary>
public sealed record SchemaDrift(string Reference, string Difference, IReadOnlyList<SchemaDifference> Differences)
{
    /// <summary>Whether the two texts are byte for byte the same (a committed file can differ only in its layout).</summary>
    public bool SameText { get; init; } = true;

    /// <summary>What the user should know about how the reference was made (a migration changed since it was applied).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// The differences as diff lines: "-" the reference's lines, "+" the other side's, one object's header before its
    /// changed properties.
    /// </summary>
    public string DiffText()
    {
        var text = new StringBuilder().Append("--- ").Append(Reference).Append('\n').Append("+++ ").Append(Difference).Append('\n');
        foreach (var difference in Differences)
        {
            var header = $"{SchemaText.KindName(difference.Kind)} {difference.Name}{(difference.Table is null ? string.Empty : " on " + difference.Table)}";
            switch (difference.Change)
            {
                case SchemaChange.Missing:
                    text.Append("- ").Append(header).Append('\n');
                    break;
                case SchemaChange.Extra:
                    text.Append("+ ").Append(header).Append('\n');
                    break;
                default:
                    text.Append("  ").Append(header).Append('\n');
                    Property(text, '-', difference.Property!, difference.ReferenceValue);
                    Property(text, '+', difference.Property!, difference.DifferenceValue);
                    break;
            }
        }

        return text.ToString();
    }

    private static void Property(StringBuilder text, char sign, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(sign).Append("   ").Append(name).Append(": ").Append(SchemaText.Normalize(value).Replace("\n", "\n" + sign + "     ", StringComparison.Ordinal)).Append('\n');
        }
    }
}
