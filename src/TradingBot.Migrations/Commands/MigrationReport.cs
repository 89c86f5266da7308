using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Xml;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// Export-MigrationReport's JUnit and Markdown for migrations (status or result records): one test case or table row per
/// migration (per target and migration in a fleet's report). A status is failed when Failed, Modified or Missing and
/// skipped when Pending; a result is failed when it failed.
/// </summary>
internal static class MigrationReport
{
    private static string? Text(PSObject item, string name) => item.Properties[name]?.Value as string;

    private static double Milliseconds(PSObject item) => item.Properties["DurationMs"]?.Value is double ms ? ms : 0;

    /// <summary>Passed, Skipped or Failed, with the reason: a status is failed when Failed, Modified or Missing, skipped when Pending.</summary>
    private static (string Outcome, string Reason) Outcome(PSObject item)
    {
        if (PlainRecord.IsStatus(item))
        {
            var state = Text(item, "State") ?? string.Empty;
            return state switch
            {
                "Applied" => ("Passed", state),
                "Pending" => ("Skipped", "Pending: not applied"),
                "Modified" => ("Failed", "Modified: the file changed since it was applied"),
                "Missing" => ("Failed", "Missing: applied, but its file is gone"),
                "Running" => ("Skipped", "Running: a run is applying it now"),
                _ => ("Failed", state + (Text(item, "FailedStatement") is { } statement ? $": stopped at {statement}" : string.Empty)),
            };
        }

        var status = Text(item, "Status") ?? string.Empty;
        return status switch
        {
            "Succeeded" => ("Passed", status),
            "Skipped" => ("Skipped", Text(item, "Reason") ?? "Skipped: another run did it first"),
            _ => ("Failed", Text(item, "Reason") ?? status),
        };
    }

    public static string JUnit(IReadOnlyList<PSObject> items, string title)
    {
        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(output, settings))
        {
            var outcomes = items.Select(Outcome).ToList();
            var manyTargets = items.Select(i => Text(i, "Target")).Distinct().Count() > 1;
            var seconds = items.Sum(Milliseconds) / 1000;
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", title);
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", SuiteName(items, title));
            writer.WriteAttributeString("tests", items.Count.ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("failures", outcomes.Count(o => o.Outcome == "Failed").ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("skipped", outcomes.Count(o => o.Outcome == "Skipped").ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("time", seconds.ToString("0.###", CultureInfo.InvariantCulture));
            writer.WriteAttributeString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                writer.WriteStartElement("testcase");
                // A fleet's report: one test case per target and migration, grouped by target.
                writer.WriteAttributeString("classname", manyTargets ? Text(item, "Target") ?? "default" : "migrations." + (Text(item, "Environment") ?? "default"));
                var direction = Text(item, "Direction") is { } d ? $" ({d})" : string.Empty;
                writer.WriteAttributeString("name", $"{Text(item, "Version")} {Text(item, "Name")}{direction}");
                writer.WriteAttributeString("time", (Milliseconds(item) / 1000).ToString("0.###", CultureInfo.InvariantCulture));
                if (Text(item, "Path") is { } file)
                {
                    writer.WriteAttributeString("file", file);
                }

                var (outcome, reason) = outcomes[i];
                if (outcome == "Failed")
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("message", reason);
                    writer.WriteString($"{Text(item, "Version")} {Text(item, "Name")} on {Text(item, "Target")}: {reason}");
                    writer.WriteEndElement();
                }
                else if (outcome == "Skipped")
                {
                    writer.WriteStartElement("skipped");
                    writer.WriteAttributeString("message", reason);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return Encoding.UTF8.GetString(output.ToArray()) + "\n";
    }

    private static string SuiteName(IReadOnlyList<PSObject> items, string title)
    {
        var targets = items.Select(i => (Text(i, "Environment"), Text(i, "Target"))).Distinct().ToList();
        return targets.Count == 1 ? $"{title}: {targets[0].Item1 ?? "default"} ({targets[0].Item2})" : title;
    }

    public static string Markdown(IReadOnlyList<PSObject> items, string title)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(SuiteName(items, title))).AppendLine();
        var isStatus = items.Count > 0 && PlainRecord.IsStatus(items[0]);
        var counts = items.GroupBy(i => Text(i, isStatus ? "State" : "Status") ?? "?").Select(g => $"{g.Count()} {g.Key}");
        md.AppendLine(items.Count == 0 ? "No migrations." : $"{items.Count} migration(s): {string.Join(", ", counts)}.").AppendLine();
        if (items.Count == 0)
        {
            return md.ToString();
        }

        if (isStatus)
        {
            md.AppendLine("| Version | Name | State | Applied at (UTC) | Duration (ms) | Environment | Target |");
            md.AppendLine("| --- | --- | --- | --- | ---: | --- | --- |");
            foreach (var item in items)
            {
                md.AppendLine(Row(Text(item, "Version"), Text(item, "Name"), Text(item, "State"), Text(item, "AppliedAt"),
                    item.Properties["DurationMs"]?.Value is double ms ? ms.ToString("0.#", CultureInfo.InvariantCulture) : null,
                    Text(item, "Environment"), Text(item, "Target")));
            }
        }
        else
        {
            md.AppendLine("| Version | Name | Direction | Status | Started at (UTC) | Duration (ms) | Environment | Target |");
            md.AppendLine("| --- | --- | --- | --- | --- | ---: | --- | --- |");
            foreach (var item in items)
            {
                md.AppendLine(Row(Text(item, "Version"), Text(item, "Name"), Text(item, "Direction"), Text(item, "Status"), Text(item, "StartedAt"),
                    Milliseconds(item).ToString("0.#", CultureInfo.InvariantCulture), Text(item, "Environment"), Text(item, "Target")));
            }
        }

        return md.ToString();
    }

    private static string Row(params string?[] cells) => "| " + string.Join(" | ", cells.Select(c => Escape(c ?? string.Empty))) + " |";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
