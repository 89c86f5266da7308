using System.Globalization;
using System.Text;
using TradingBot.Migrations.Engine.Safety;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// The Safety README publishes the linter's precision and recall on the labelled corpus, per rule and dialect and overall.
/// This computes the table from the corpus (the label against what the analyzer reports now) and holds the README to it.
/// </summary>
public sealed class SafetyPrecisionRecallTests
{
    private const string Start = "<!-- precision-recall:start -->";
    private const string End = "<!-- precision-recall:end -->";

    [Fact]
    public void The_readme_table_of_precision_and_recall_is_the_one_the_corpus_gives()
    {
        var readme = File.ReadAllText(Path.Combine(Root(), "src", "TradingBot.Migrations.Engine", "Safety", "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"the Safety README has no {Start} ... {End} section");

        var published = readme[(from + Start.Length)..to].Trim('\n');
        var computed = Table();

        Assert.True(published == computed, "The Safety README's precision and recall differ from the corpus; replace the section with:\n" + computed);
    }

    [Fact]
    public void Every_rule_has_its_row_in_the_readme_rules_table_with_its_severity_and_dialects()
    {
        var readme = File.ReadAllLines(Path.Combine(Root(), "src", "TradingBot.Migrations.Engine", "Safety", "README.md"));

        var missing = SafetyRules.All
            .Select(r => $"| `{r.Id}` | {r.Severity} | {(r.Dialects == RuleDialects.Both ? "both" : r.Dialects.ToString())} | {r.Description} | {r.Remedy} |")
            .Where(row => !readme.Contains(row))
            .ToList();

        Assert.True(missing.Count == 0, "rows missing or different in the Safety README's rules table:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void A_known_miss_lowers_the_figures_it_belongs_to()
    {
        var counts = Count();

        Assert.Equal(1, counts[("sqlite-alter-table-limit", SqlDialect.Sqlite)].FalseNegatives);
        Assert.Equal(1, counts[("delete-without-where", SqlDialect.PostgreSql)].FalseNegatives);
        Assert.Equal(1, counts[("enum-value-used-in-same-transaction", SqlDialect.PostgreSql)].FalsePositives);
    }

    internal static string Table()
    {
        var counts = Count();
        var text = new StringBuilder();
        text.Append("| rule | dialect | labelled | reported | right | false positives | missed | precision | recall |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var ((rule, dialect), c) in counts.OrderBy(e => e.Key.Rule, StringComparer.Ordinal).ThenBy(e => e.Key.Dialect))
        {
            text.Append(Row($"`{rule}`", dialect.ToString(), c));
        }

        foreach (var dialect in Enum.GetValues<SqlDialect>())
        {
            text.Append(Row("**all rules**", dialect.ToString(), Sum(counts.Where(e => e.Key.Dialect == dialect).Select(e => e.Value))));
        }

        text.Append(Row("**all rules**", "both", Sum(counts.Values)));
        return text.ToString().TrimEnd('\n');
    }

    private static Dictionary<(string Rule, SqlDialect Dialect), Counts> Count()
    {
        var counts = new Dictionary<(string Rule, SqlDialect Dialect), Counts>();
        foreach (var c in SafetyCorpus.Cases)
        {
            var label = c.Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var reported = SafetyCorpusTests.Run(c).Where(f => !f.Suppressed).Select(f => f.Rule).ToHashSet(StringComparer.Ordinal);
            foreach (var rule in label.Union(reported))
            {
                var key = (rule, c.Dialect);
                var now = counts.GetValueOrDefault(key);
                counts[key] = now with
                {
                    Labelled = now.Labelled + (label.Contains(rule) ? 1 : 0),
                    Reported = now.Reported + (reported.Contains(rule) ? 1 : 0),
                    Right = now.Right + (label.Contains(rule) && reported.Contains(rule) ? 1 : 0),
                };
            }
        }

        return counts;
    }

    private static Counts Sum(IEnumerable<Counts> counts) =>
        counts.Aggregate(default(Counts), (a, b) => new Counts(a.Labelled + b.Labelled, a.Reported + b.Reported, a.Right + b.Right));

    private static string Row(string rule, string dialect, Counts c) =>
        $"| {rule} | {dialect} | {c.Labelled} | {c.Reported} | {c.Right} | {c.FalsePositives} | {c.FalseNegatives} | {Percent(c.Right, c.Reported)} | {Percent(c.Right, c.Labelled)} |\n";

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Migrations.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Migrations.sln not found above the test's folder");
    }

    private readonly record struct Counts(int Labelled, int Reported, int Right)
    {
        public int FalsePositives => Reported - Right;

        public int FalseNegatives => Labelled - Right;
    }
}
