using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using TradingBot.Migrations.Engine.Safety.Trace;

namespace TradingBot.Migrations.Engine.Safety.Reports;

/// <summary>Findings (and with -Trace the traced statements) as JUnit XML (CircleCI's test tab) and JSON (other tools); Markdown in <see cref="SafetyMarkdownReport"/>.</summary>
internal static class SafetyReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// One testsuite per migration and one testcase per rule that found something in it (a migration with
    /// no findings gets one passing "safety" testcase). Unsuppressed findings at or above
    /// <paramref name="failOn"/> are failures; suppressed ones are skipped with their reason; the rest are
    /// reported in system-out.
    /// </summary>
    /// <param name="versions">Every linted version, so that clean migrations show as passing; may be null.</param>
    /// <param name="traces">With -Trace: a "lock-trace" testcase per traced migration, its statements' locks in system-out.</param>
    public static string ToJUnitXml(IEnumerable<SafetyFinding> findings, IEnumerable<string>? versions = null, SafetySeverity failOn = SafetySeverity.Error,
        IReadOnlyList<TracedStatement>? traces = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings.ToList();
        var order = new List<string>();
        foreach (var v in (versions ?? []).Concat(list.Select(f => f.Version)))
        {
            if (!order.Contains(v, StringComparer.Ordinal))
            {
                order.Add(v);
            }
        }

        // Written as UTF-8 bytes so the declaration says utf-8, which is what the file on disk will be.
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            var totalFailures = list.Count(f => IsFailure(f, failOn));
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "Test-MigrationSafety");
            xml.WriteAttributeString("failures", totalFailures.ToString(CultureInfo.InvariantCulture));
            foreach (var version in order)
            {
                var mine = list.Where(f => f.Version == version).ToList();
                var byRule = mine.GroupBy(f => f.Rule, StringComparer.Ordinal).ToList();
                var name = mine.FirstOrDefault()?.MigrationName;
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", string.IsNullOrEmpty(name) ? version : $"{version} {name}");
                var traced = (traces ?? []).Where(t => t.Version == version).ToList();
                xml.WriteAttributeString("tests", (Math.Max(1, byRule.Count) + (traced.Count > 0 ? 1 : 0)).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("failures", byRule.Count(g => g.Any(f => IsFailure(f, failOn))).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("skipped", byRule.Count(g => g.All(f => f.Suppressed)).ToString(CultureInfo.InvariantCulture));
                if (byRule.Count == 0)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", "migrations." + version);
                    xml.WriteAttributeString("name", "safety");
                    xml.WriteEndElement();
                }

                foreach (var group in byRule)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", "migrations." + version);
                    xml.WriteAttributeString("name", group.Key);
                    var failures = group.Where(f => IsFailure(f, failOn)).ToList();
                    if (failures.Count > 0)
                    {
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("type", group.Key);
                        xml.WriteAttributeString("message", failures[0].Message);
                        xml.WriteString(string.Join("\n\n", failures.Select(Describe)));
                        xml.WriteEndElement();
                    }
                    else if (group.All(f => f.Suppressed))
                    {
                        xml.WriteStartElement("skipped");
                        xml.WriteAttributeString("message", "suppressed: " + group.First().SuppressionReason);
                        xml.WriteEndElement();
                    }

                    var rest = group.Where(f => !IsFailure(f, failOn)).ToList();
                    if (rest.Count > 0)
                    {
                        xml.WriteElementString("system-out", string.Join("\n\n", rest.Select(Describe)));
                    }

                    xml.WriteEndElement();
                }

                if (traced.Count > 0)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", "migrations." + version);
                    xml.WriteAttributeString("name", "lock-trace");
                    xml.WriteAttributeString("time", traced.Sum(t => t.Duration.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture));
                    xml.WriteElementString("system-out", string.Join("\n", traced.Select(SafetyMarkdownReport.Describe)));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>{ "summary": {...}, "findings": [...] } with enums as names and camelCase properties; with -Trace also "traces": [...].</summary>
    public static string ToJson(IEnumerable<SafetyFinding> findings, IReadOnlyList<TracedStatement>? traces = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings.ToList();
        var active = list.Where(f => !f.Suppressed).ToList();
        var report = new JsonReport(
            new JsonSummary(
                active.Count(f => f.Severity == SafetySeverity.Error),
                active.Count(f => f.Severity == SafetySeverity.Warning),
                active.Count(f => f.Severity == SafetySeverity.Info),
                list.Count - active.Count),
            list,
            traces is { Count: > 0 } ? traces : null);
        return JsonSerializer.Serialize(report, JsonOptions);
    }

    private static bool IsFailure(SafetyFinding f, SafetySeverity failOn) => !f.Suppressed && f.Severity >= failOn;

    private static string Describe(SafetyFinding f) =>
        $"{f.Severity} {f.Rule} in {f.Script} script{(f.File is null ? string.Empty : " " + f.File)}{(f.Line is { } l ? " line " + l.ToString(CultureInfo.InvariantCulture) : string.Empty)}: {f.Message}" +
        (f.Suppressed ? $" (suppressed: {f.SuppressionReason})" : string.Empty) +
        (f.Statement is null ? string.Empty : "\n  " + f.Statement) +
        "\n  Remedy: " + f.Remedy;

    private sealed record JsonSummary(int Errors, int Warnings, int Info, int Suppressed);

    private sealed record JsonReport(JsonSummary Summary, IReadOnlyList<SafetyFinding> Findings, IReadOnlyList<TracedStatement>? Traces);
}
