using System.Diagnostics;
using TradingBot.Migrations.Engine.Safety;
using Xunit.Abstractions;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// A guard against pathological slowness, not a benchmark: the bound is loose so a busy CI machine
/// does not fail it. The measured time is written to the test output.
/// </summary>
public class SafetyPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Linting_a_thousand_migrations_is_fast()
    {
        var migrations = Enumerable.Range(0, 1000)
            .Select(i =>
            {
                var c = SafetyCorpus.Cases[i % SafetyCorpus.Cases.Count];
                var up = string.Concat(Enumerable.Repeat(c.Up + "\n", 3)) +
                    $"CREATE TABLE t{i} (id bigint PRIMARY KEY, name varchar(200) NOT NULL, created_at timestamptz DEFAULT now());\n" +
                    $"CREATE INDEX t{i}_name ON t{i} (name);\nINSERT INTO t{i} (name) VALUES ('a; DROP TABLE x'), ('b');\n";
                return SafetyMigration.FromScripts($"{i}.0.0", up, c.Down ?? $"DROP TABLE t{i};", c.Dialect);
            })
            .ToList();
        var bytes = migrations.Sum(m => m.UpSql.Length + (m.DownSql?.Length ?? 0));

        SafetyAnalyzer.Analyze(migrations.Take(50)); // warm up the JIT
        var watch = Stopwatch.StartNew();
        var findings = SafetyAnalyzer.Analyze(migrations);
        watch.Stop();

        output.WriteLine($"1000 migrations, {bytes / 1024} KiB of SQL, {findings.Count} findings in {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }
}
