using System.Globalization;
using System.Text;
using TradingBot.Migrations.Engine.Safety.Trace;

namespace TradingBot.Migrations.Engine.Safety.Reports;

/// <summary>Findings, and with -Trace what each statement locked, as Markdown for a pull-request comment.</summary>
internal static class SafetyMarkdownReport
{
    private const int StatementWidth = 80;

    public static string Render(IReadOnlyList<SafetyFinding> findings, IReadOnlyList<TracedStatement> traces, SafetySeverity failOn)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(traces);
        var md = new StringBuilder();
        md.AppendLine("# Test-MigrationSafety").AppendLine();
        var active = findings.Where(f => !f.Suppressed).ToList();
        var failing = active.Count(f => f.Severity >= failOn);
        md.AppendLine(findings.Count == 0
            ? "No findings."
            : Invariant($"{findings.Count} finding(s): {active.Count(f => f.Severity == SafetySeverity.Error)} error(s), {active.Count(f => f.Severity == SafetySeverity.Warning)} warning(s), {active.Count(f => f.Severity == SafetySeverity.Info)} info, {findings.Count - active.Count} suppressed; {failing} at or above {failOn}."));
        if (findings.Count > 0)
        {
            md.AppendLine().AppendLine("| Severity | Rule | Migration | Line | Trace | Est. wait | Message |").AppendLine("| --- | --- | --- | ---: | --- | ---: | --- |");
            foreach (var f in findings)
            {
                md.AppendLine(Row(f.Suppressed ? $"{f.Severity} (suppressed)" : f.Severity.ToString(), $"`{f.Rule}`", Migration(f.Version, f.MigrationName),
                    f.Line?.ToString(CultureInfo.InvariantCulture), f.Trace?.ToString(), f.EstimatedWait is { } w ? TraceVerdicts.Readable(w) : null, f.Message));
            }
        }

        if (traces.Count > 0)
        {
            md.AppendLine().AppendLine("## Lock trace").AppendLine()
                .AppendLine("Each pending statement as it ran on a scratch copy of the schema (rolled back): the table locks it took, and whether it rewrote or scanned a table.")
                .AppendLine().AppendLine("| Migration | Line | Statement | Locks taken | Rewrote | Scanned | ms |").AppendLine("| --- | ---: | --- | --- | --- | --- | ---: |");
            foreach (var t in traces)
            {
                md.AppendLine(Row(Migration(t.Version, t.Name), t.Line.ToString(CultureInfo.InvariantCulture), "`" + Shorten(t.Statement) + "`",
                    string.Join(", ", t.Locks.Select(l => l.BlocksTraffic ? $"**{l.Relation} {l.Mode}**" : $"{l.Relation} {l.Mode}")),
                    string.Join(", ", t.RewrittenTables), string.Join(", ", t.ScannedTables), Invariant($"{t.Duration.TotalMilliseconds:0.#}")));
            }

            md.AppendLine().AppendLine("Bold: a lock that blocks the application's writes (ShareLock and stronger) or, AccessExclusiveLock, its reads too.");
        }

        return md.ToString();
    }

    /// <summary>A trace's statements in a few lines each, for JUnit's system-out.</summary>
    public static string Describe(TracedStatement t) =>
        Invariant($"line {t.Line}: {(t.Locks.Count == 0 ? "no new lock" : string.Join(", ", t.Locks))}") +
        (t.RewroteTable ? "; rewrote " + string.Join(", ", t.RewrittenTables) : string.Empty) +
        (t.ScannedTables.Count > 0 ? "; scanned " + string.Join(", ", t.ScannedTables) : string.Empty) +
        Invariant($"; {t.Duration.TotalMilliseconds:0.#} ms{(t.InTransaction ? string.Empty : ", no transaction (locks sampled)")}") +
        "\n  " + Shorten(t.Statement);

    private static string Migration(string version, string name) =>
        string.IsNullOrEmpty(version) ? "(database)" : string.IsNullOrEmpty(name) ? version : $"{version} {name}";

    private static string Shorten(string statement)
    {
        var oneLine = string.Join(' ', statement.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return oneLine.Length <= StatementWidth ? oneLine : oneLine[..(StatementWidth - 3)] + "...";
    }

    private static string Row(params string?[] cells) =>
        "| " + string.Join(" | ", cells.Select(c => (c ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal))) + " |";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
