using TradingBot.Migrations.Engine.Safety;

namespace TradingBot.Migrations.Engine.Tests.Safety;

public class SafetyCorpusTests
{
    private static readonly SafetyOptions CorpusOptions = new()
    {
        DisabledRules = new HashSet<string> { "missing-down" },
        ReportVersions = new HashSet<string> { "1.0.0" },
    };

    public static IEnumerable<object[]> CaseNames => SafetyCorpus.Cases.Select(c => new object[] { c.Name });

    internal static IReadOnlyList<SafetyFinding> Run(CorpusCase c)
    {
        var migrations = new List<SafetyMigration>();
        var n = 0;
        foreach (var prior in c.Prior ?? [])
        {
            migrations.Add(SafetyMigration.FromScripts($"0.0.{n++}", prior, dialect: c.Dialect));
        }

        migrations.Add(SafetyMigration.FromScripts("1.0.0", c.Up, c.Down, c.Dialect, c.Name));
        return SafetyAnalyzer.Analyze(migrations, CorpusOptions);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Corpus_case_reports_exactly_the_expected_rules(string name)
    {
        var c = SafetyCorpus.Cases.Single(x => x.Name == name);
        var findings = Run(c);
        var actual = findings.Where(f => !f.Suppressed).Select(f => f.Rule).Distinct().Order(StringComparer.Ordinal).ToList();
        var expected = (c.Actual ?? c.Expected).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"{name}: expected [{string.Join(", ", expected)}] but got [{string.Join(", ", actual)}]\n" +
            string.Join("\n", findings.Select(f => $"  {f.Rule} {f.Script} line {f.Line}: {f.Message}{(f.Suppressed ? " (suppressed)" : string.Empty)}")));
    }

    [Fact]
    public void Corpus_has_at_least_120_cases_and_a_third_safe()
    {
        Assert.True(SafetyCorpus.Cases.Count >= 120, $"only {SafetyCorpus.Cases.Count} cases");
        Assert.True(SafetyCorpus.Cases.Count(c => c.Safe) * 3 >= SafetyCorpus.Cases.Count, "fewer than a third are safe");
        Assert.Equal(SafetyCorpus.Cases.Count, SafetyCorpus.Cases.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void Every_required_rule_is_exercised_by_the_corpus()
    {
        var seen = SafetyCorpus.Cases.SelectMany(c => c.Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        var missing = SafetyRules.All.Select(r => r.Id).Where(id => id is not "missing-down" and not "invalid-suppression" and not "analysis-error" and not "unreadable-down" && !seen.Contains(id)).ToList();
        Assert.Empty(missing);
    }
}
