using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Xml;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// Export-MigrationReport's JUnit and Markdown for Test-MigrationDrift's differences (flat records): one test case or
/// table row per difference. A difference at or above the fail level is a failed test case; one below it passes, with
/// what differs as its output, so the test tab still lists it.
/// </summary>
internal static class DriftReport
{
    private static readonly string[] Levels = ["Info", "Warning", "Error"];
    private static readonly string[] Columns = ["Severity", "ObjectKind", "Name", "Table", "Difference", "ReferenceValue", "DifferenceValue"];

    public static bool Fails(PSObject difference, string failOn) =>
        Array.IndexOf(Levels, Text(difference, "Severity")) >= Array.IndexOf(Levels, failOn);

    public static string JUnit(IReadOnlyList<PSObject> differences, string title, string failOn)
    {
        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using (var writer = XmlWriter.Create(output, settings))
        {
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", title);
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", SuiteName(differences, title));
            writer.WriteAttributeString("tests", differences.Count.ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("failures", differences.Count(d => Fails(d, failOn)).ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("skipped", "0");
            writer.WriteAttributeString("time", "0");
            writer.WriteAttributeString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var difference in differences)
            {
                writer.WriteStartElement("testcase");
                writer.WriteAttributeString("classname", Text(difference, "Target") ?? "database");
                writer.WriteAttributeString("name", $"{Text(difference, "ObjectKind")} {Text(difference, "Name")} {Text(difference, "Difference")}");
                writer.WriteAttributeString("time", "0");
                if (Fails(difference, failOn))
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("message", Summary(difference));
                    writer.WriteAttributeString("type", Text(difference, "Severity") ?? string.Empty);
                    writer.WriteString(Details(difference));
                    writer.WriteEndElement();
                }
                else
                {
                    writer.WriteElementString("system-out", $"{Summary(difference)} (below -FailOn {failOn})\n{Details(difference)}");
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return Encoding.UTF8.GetString(output.ToArray()) + "\n";
    }

    public static string Markdown(IReadOnlyList<PSObject> differences, string title, string failOn)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Cell(SuiteName(differences, title))).AppendLine();
        if (differences.Count == 0)
        {
            return md.AppendLine("No differences.").ToString();
        }

        var counts = Levels.AsEnumerable().Reverse().Select(level => (level, count: differences.Count(d => Text(d, "Severity") == level)))
            .Where(c => c.count > 0).Select(c => $"{c.count} {c.level}");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{differences.Count} difference(s): {string.Join(", ", counts)}; {differences.Count(d => Fails(d, failOn))} at or above {failOn}.").AppendLine();
        md.AppendLine("| Severity | Kind | Name | Table | Difference | Reference | Compared |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var difference in differences)
        {
            md.Append("| ").AppendJoin(" | ", Columns.Select(name => Cell(Text(difference, name) ?? string.Empty))).AppendLine(" |");
        }

        return md.ToString();
    }

    private static string SuiteName(IReadOnlyList<PSObject> differences, string title)
    {
        var pairs = differences.Select(d => (Target: Text(d, "Target"), Reference: Text(d, "Reference"))).Distinct().ToList();
        return pairs.Count == 1 ? $"{title}: {pairs[0].Target} compared with {pairs[0].Reference}" : title;
    }

    private static string Summary(PSObject difference)
    {
        var what = $"{Text(difference, "ObjectKind")} {Text(difference, "Name")}";
        return Text(difference, "Difference") switch
        {
            "missing" => $"{Text(difference, "Severity")}: {what} is missing (only in {Text(difference, "Reference")})",
            "extra" => $"{Text(difference, "Severity")}: {what} is extra (only in {Text(difference, "Target")})",
            var property => $"{Text(difference, "Severity")}: {what} differs in {property}",
        };
    }

    private static string Details(PSObject difference) =>
        $"{Text(difference, "Reference")}: {Value(difference, "ReferenceValue")}\n{Text(difference, "Target")}: {Value(difference, "DifferenceValue")}";

    private static string Value(PSObject difference, string name) => Text(difference, name) is { Length: > 0 } value ? value : "(none)";

    private static string? Text(PSObject item, string name) => item.Properties[name]?.Value as string;

    // A cell keeps its line breaks as <br> and its pipes escaped, so a view's definition stays in its row.
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);
}
