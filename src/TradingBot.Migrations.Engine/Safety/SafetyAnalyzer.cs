using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Safety.Rules;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>
/// Runs every rule over the up and down scripts of migrations, in the order given (oldest first), so
/// that what earlier migrations created is known to later ones.
/// </summary>
internal static class SafetyAnalyzer
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
            var reported = options.ReportVersions is null || options.ReportVersions.Contains(migration.Version);
            ScriptContext up;
            try
            {
                up = ScriptContext.Build(migration, MigrationScript.Up, schema, options: options);
            }
#pragma warning disable CA1031 // A linter bug must become a finding, not abort linting every other migration.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (reported)
                {
                    findings.Add(AnalysisError(migration, ex));
                }

                continue;
            }

            if (reported)
            {
                ScriptContext? down = null;
                try
                {
                    down = migration.DownSql is null ? null : ScriptContext.Build(migration, MigrationScript.Down, schema, up, options);
                }
#pragma warning disable CA1031 // A linter bug must become a finding, not abort linting every other migration.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    findings.Add(AnalysisError(migration, ex) with { Script = MigrationScript.Down, File = migration.DownPath });
                }

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

    private static SafetyFinding AnalysisError(SafetyMigration migration, Exception ex)
    {
        var rule = SafetyRules.Get("analysis-error");
        return new SafetyFinding
        {
            Rule = rule.Id,
            Severity = rule.Severity,
            Version = migration.Version,
            MigrationName = migration.Name,
            Script = MigrationScript.Up,
            File = migration.UpPath,
            Message = $"reading the script failed: {ex.GetType().Name}: {ex.Message}",
            Remedy = rule.Remedy,
        };
    }

    internal static List<SafetyFinding> Run(ScriptContext context, SafetyOptions options)
    {
        var sink = new FindingSink(context);
        foreach (var rule in SafetyRules.Registered)
        {
            if (rule.AppliesTo(context.Dialect, context.Script) && (options.DisabledRules is null || !options.DisabledRules.Contains(rule.Id)))
            {
                CheckGuarded(rule, context, sink);
            }
        }

        List<Suppression> suppressions;
        try
        {
            suppressions = Suppressions.Read(context, sink);
        }
#pragma warning disable CA1031 // A linter bug must become a finding, not abort linting every other migration.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            sink.Report(SafetyRules.Get("analysis-error"), null, $"reading suppressions failed: {ex.GetType().Name}: {ex.Message}");
            suppressions = [];
        }

        Suppressions.Apply(sink.Findings, sink.StatementIndexes, suppressions);
        if (options.MinimumSeverity > SafetySeverity.Info)
        {
            sink.Findings.RemoveAll(f => f.Severity < options.MinimumSeverity);
        }

        // By line within the script (script-wide findings first), rules in registration order within a line.
        return [.. sink.Findings.OrderBy(f => f.Line ?? 0)];
    }

    private static void CheckGuarded(SafetyRule rule, ScriptContext context, FindingSink sink)
    {
        try
        {
            rule.Check(context, sink);
        }
#pragma warning disable CA1031 // A linter bug must become a finding, not abort linting every other migration.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            sink.Report(SafetyRules.Get("analysis-error"), null, $"rule {rule.Id} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
