using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Safety.Rules;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>
/// Runs every rule over the up and down scripts of migrations, in the order given (oldest first), so
/// that what earlier migrations created is known to later ones.
/// </summary>
public static class SafetyAnalyzer
{
    public static IReadOnlyList<SafetyFinding> Analyze(SafetyMigration migration, SafetyOptions? options = null) =>
        Analyze([migration], options);

    public static IReadOnlyList<SafetyFinding> Analyze(IEnumerable<SafetyMigration> migrations, SafetyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        options ??= SafetyOptions.Default;
        var findings = new List<SafetyFinding>();
        var schema = new SchemaModel();
        foreach (var migration in migrations)
        {
            var up = ScriptContext.Build(migration, MigrationScript.Up, schema);
            if (options.ReportVersions is null || options.ReportVersions.Contains(migration.Version))
            {
                var down = migration.DownSql is null ? null : ScriptContext.Build(migration, MigrationScript.Down, schema, up);
                up.HasEffectiveDown = down is { Statements.Count: > 0 };
                findings.AddRange(Run(up, options));
                if (down is not null)
                {
                    findings.AddRange(Run(down, options));
                }
            }

            schema.Apply(up);
        }

        return findings;
    }

    internal static List<SafetyFinding> Run(ScriptContext context, SafetyOptions options)
    {
        var sink = new FindingSink(context);
        foreach (var rule in SafetyRules.Registered)
        {
            if (rule.AppliesTo(context.Dialect, context.Script) && (options.DisabledRules is null || !options.DisabledRules.Contains(rule.Id)))
            {
                rule.Check(context, sink);
            }
        }

        var suppressions = Suppressions.Read(context, sink);
        Suppressions.Apply(sink.Findings, sink.StatementIndexes, suppressions);
        if (options.MinimumSeverity > SafetySeverity.Info)
        {
            sink.Findings.RemoveAll(f => f.Severity < options.MinimumSeverity);
        }

        // By line within the script (script-wide findings first), rules in registration order within a line.
        return [.. sink.Findings.OrderBy(f => f.Line ?? 0)];
    }
}
