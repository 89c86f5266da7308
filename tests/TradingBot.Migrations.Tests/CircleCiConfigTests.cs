using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// .circleci/config.yml: the jobs, their order and filters, the contexts, and every PowerShell step:
/// it parses, it stops on the first error, and each TradingBot cmdlet it names exists in the module.
/// </summary>
public sealed class CircleCiConfigTests
{
    private static readonly YamlMappingNode Root = Load();

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".circleci", "config.yml")));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)node[key];

    private static YamlMappingNode Jobs => Map(Root, "jobs");

    private const string MainWorkflow = "build-test-migrate-deploy";
    private const string TenantsWorkflow = "migrate-tenants";

    /// <summary>A workflow's entries by job name (default: the pipeline every push runs).</summary>
    private static Dictionary<string, YamlMappingNode?> WorkflowJobs(string name = MainWorkflow)
    {
        var workflow = Map(Map(Root, "workflows"), name);
        return ((YamlSequenceNode)workflow["jobs"]).Children.ToDictionary(
            entry => entry is YamlScalarNode scalar ? scalar.Value! : ((YamlScalarNode)((YamlMappingNode)entry).Children.Keys.Single()).Value!,
            entry => entry is YamlMappingNode mapping ? (YamlMappingNode)mapping.Children.Values.Single() : null);
    }

    private static List<string> Requires(YamlMappingNode? entry) =>
        entry is not null && entry.Children.TryGetValue("requires", out var requires)
            ? ((YamlSequenceNode)requires).Children.Select(r => ((YamlScalarNode)r).Value!).ToList()
            : [];

    private static string? Scalar(YamlMappingNode? node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(key, out current))
            {
                return null;
            }
        }

        return (current as YamlScalarNode)?.Value;
    }

    /// <summary>Every run step's command in a job, in order.</summary>
    private static List<string> Commands(string job) =>
        ((YamlSequenceNode)Jobs[job]["steps"]).Children.OfType<YamlMappingNode>()
            .Where(step => step.Children.ContainsKey("run"))
            .Select(step => step["run"] is YamlScalarNode inline ? inline.Value! : Scalar((YamlMappingNode)step["run"], "command")!)
            .ToList();

    private static readonly Regex PwshCommand = new(@"pwsh\b[^']*-Command\s+'(?<script>[^']*)'", RegexOptions.Singleline);

    /// <summary>The PowerShell scripts of a job's pwsh steps, in order.</summary>
    private static List<string> PowerShellSteps(string job) =>
        Commands(job).Select(c => PwshCommand.Match(c)).Where(m => m.Success).Select(m => m.Groups["script"].Value).ToList();

    private static List<CommandAst> CommandsIn(string script)
    {
        var ast = Parser.ParseInput(script, out _, out var errors);
        Assert.True(errors.Length == 0, $"The step does not parse: {string.Join("; ", errors.Select(e => e.Message))}\n{script}");
        return ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();
    }

    private static HashSet<string> ManifestCmdlets()
    {
        var ast = Parser.ParseFile(RepositoryPaths.Manifest, out _, out var errors);
        Assert.Empty(errors);
        var table = (HashtableAst)ast.Find(a => a is HashtableAst, false)!;
        var cmdlets = table.KeyValuePairs.Single(p => ((StringConstantExpressionAst)p.Item1).Value == "CmdletsToExport").Item2;
        return ((object[])cmdlets.SafeGetValue()).Select(o => (string)o).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_pipeline_has_the_test_migrate_and_deploy_jobs()
    {
        Assert.Equal("2.1", Scalar(Root, "version"));
        Assert.Equivalent(new[] { "test", "package", "migrate-qa", "migrate-prod", "deploy-qa", "deploy-prod", "migrate-tenants", "merge-tenant-reports" },
            Jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equivalent(new[] { "test", "package", "migrate-qa", "migrate-prod", "deploy-qa", "deploy-prod" }, WorkflowJobs().Keys);
        Assert.Equivalent(new[] { MainWorkflow, TenantsWorkflow }, Map(Root, "workflows").Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void The_tenant_fleet_runs_only_when_asked_on_four_nodes_each_migrating_its_shard_then_one_merged_report()
    {
        Assert.Equal("false", Scalar(Map(Map(Root, "parameters"), "migrate-tenants"), "default"));
        Assert.Equal("<< pipeline.parameters.migrate-tenants >>", Scalar(Map(Map(Root, "workflows"), TenantsWorkflow), "when"));
        var workflow = WorkflowJobs(TenantsWorkflow);
        Assert.Equal(["test", "package"], Requires(workflow["migrate-tenants"]));
        Assert.Equal(["migrate-tenants"], Requires(workflow["merge-tenant-reports"]));
        Assert.Equal("tradebot-tenants", Scalar(workflow["migrate-tenants"]!, "context"));
        Assert.Equal("4", Scalar(Map(Jobs, "migrate-tenants"), "parallelism"));

        var migrate = CommandsIn(PowerShellSteps("migrate-tenants")[1]).Single(c => c.GetCommandName() == "Invoke-Migration").Extent.Text;
        Assert.Contains("-Environment tenants", migrate, StringComparison.Ordinal);
        Assert.Contains("-Shard CircleCI", migrate, StringComparison.Ordinal);
        Assert.All(CommandsIn(PowerShellSteps("merge-tenant-reports")[1]).Where(c => c.GetCommandName() == "Export-MigrationReport"),
            c => Assert.Contains("-Merge tenant-results/*.json", c.Extent.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_job_comes_after_the_jobs_it_requires_and_deploys_require_their_migration()
    {
        var workflow = WorkflowJobs();
        var seen = new List<string>();
        foreach (var (name, entry) in workflow)
        {
            Assert.All(Requires(entry), required => Assert.Contains(required, seen));
            seen.Add(name);
        }

        Assert.Equal(["test"], Requires(workflow["package"]));
        Assert.Equal(["test", "package"], Requires(workflow["migrate-qa"]));
        Assert.Equal(["migrate-qa"], Requires(workflow["deploy-qa"]));
        Assert.Equal(["test", "package"], Requires(workflow["migrate-prod"]));
        Assert.Equal(["migrate-prod"], Requires(workflow["deploy-prod"]));
    }

    [Fact]
    public void QA_runs_on_main_and_production_on_release_tags_with_their_contexts()
    {
        var workflow = WorkflowJobs();

        Assert.Equal("tradebot-qa", Scalar(workflow["migrate-qa"], "context"));
        Assert.Equal("tradebot-prod", Scalar(workflow["migrate-prod"], "context"));
        foreach (var job in new[] { "migrate-qa", "deploy-qa" })
        {
            Assert.Equal("main", Scalar(workflow[job], "filters", "branches", "only"));
            Assert.Null(Scalar(workflow[job], "filters", "tags", "only"));
        }

        foreach (var job in new[] { "migrate-prod", "deploy-prod" })
        {
            var tags = new Regex(Scalar(workflow[job], "filters", "tags", "only")!.Trim('/'));
            Assert.Matches(tags, "v1.4.0");
            Assert.DoesNotMatch(tags, "v1.4");
            Assert.DoesNotMatch(tags, "nightly");
            Assert.Equal("/.*/", Scalar(workflow[job], "filters", "branches", "ignore"));
        }

        // A job runs on a tag only when everything it requires does too.
        foreach (var job in new[] { "test", "package" })
        {
            Assert.Equal("/.*/", Scalar(workflow[job], "filters", "tags", "only"));
        }
    }

    [Fact]
    public void Test_results_are_stored_for_the_test_tab()
    {
        foreach (var job in new[] { "test", "package", "migrate-qa", "migrate-prod" })
        {
            var steps = ((YamlSequenceNode)Jobs[job]["steps"]).Children.OfType<YamlMappingNode>();
            Assert.Contains(steps, s => s.Children.ContainsKey("store_test_results"));
        }

        Assert.Contains(Commands("test"), command => command.Contains("bash .ci/run -TestResultsPath test-results", StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_job_checks_the_migrated_database_for_drift_and_stores_the_junit_it_writes()
    {
        var steps = PowerShellSteps("package");
        var drift = Assert.Single(steps, script => CommandsIn(script).Any(c => c.GetCommandName() == "Test-MigrationDrift" && !c.Extent.Text.Contains("-RoundTrip", StringComparison.Ordinal) &&
            !c.Extent.Text.Contains("-Replay", StringComparison.Ordinal)));

        Assert.True(steps.IndexOf(drift) > steps.FindIndex(script => CommandsIn(script).Any(c => c.GetCommandName() == "Invoke-Migration")), "drift is checked after the migration");
        Assert.Contains("Test-MigrationDrift -Environment dev", drift, StringComparison.Ordinal);
        Assert.Contains("Export-MigrationReport -Format JUnit -Path test-results/package/drift.xml", drift, StringComparison.Ordinal);
        Assert.Contains("throw", drift, StringComparison.Ordinal);
        var stored = ((YamlSequenceNode)Jobs["package"]["steps"]).Children.OfType<YamlMappingNode>().Single(s => s.Children.ContainsKey("store_test_results"));
        Assert.Equal("test-results", ((YamlScalarNode)((YamlMappingNode)stored["store_test_results"])["path"]).Value);
    }

    [Fact]
    public void The_package_job_fails_when_the_committed_schema_file_is_not_what_the_migrations_make()
    {
        var check = Assert.Single(PowerShellSteps("package").SelectMany(CommandsIn),
            c => c.GetCommandName() == "Test-MigrationDrift" && c.Extent.Text.Contains("-Replay", StringComparison.Ordinal));

        Assert.Equal("Test-MigrationDrift -Replay -SchemaFile migrations/schema.sqlite.txt -Environment dev", check.Extent.Text);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "migrations", "schema.sqlite.txt")), "the schema file is committed");
    }

    [Theory]
    [InlineData("migrate-qa", "qa")]
    [InlineData("migrate-prod", "prod")]
    public void A_migrate_job_checks_safety_then_migrates_then_checks_status_on_its_environment(string job, string environment)
    {
        // First the module is installed by name from the pipeline's package; the three steps after it import it by name.
        var steps = PowerShellSteps(job).Select(CommandsIn).ToList();

        var names = steps.Select(commands => commands.Select(c => c.GetCommandName()).ToList()).ToList();
        Assert.Equal(4, steps.Count);
        Assert.Contains("Install-PSResource", names[0]);
        Assert.Contains("Test-MigrationSafety", names[1]);
        Assert.Contains("Invoke-Migration", names[2]);
        Assert.Contains("Get-MigrationStatus", names[3]);
        Assert.All(steps.Skip(1), commands => Assert.Contains(commands, c =>
            c.GetCommandName() == "Import-Module" && c.CommandElements[1] is StringConstantExpressionAst { Value: "TradingBot.Migrations" }));
        var databaseCommands = steps.SelectMany(s => s).Where(c => c.GetCommandName() is "Test-MigrationSafety" or "Invoke-Migration" or "Get-MigrationStatus").ToList();
        Assert.All(databaseCommands, command =>
        {
            var elements = command.CommandElements;
            var index = elements.ToList().FindIndex(e => e is CommandParameterAst { ParameterName: "Environment" });
            Assert.True(index > 0, $"{command.Extent.Text} has no -Environment");
            Assert.Equal(environment, ((StringConstantExpressionAst)elements[index + 1]).Value);
        });
        var statusCheck = PowerShellSteps(job)[3];
        Assert.Contains("\"Pending\", \"Failed\", \"Modified\"", statusCheck, StringComparison.Ordinal);
        Assert.Contains("throw", statusCheck, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_PowerShell_step_stops_on_errors_and_names_only_cmdlets_the_module_has()
    {
        var exported = ManifestCmdlets();
        var steps = Jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).SelectMany(job => PowerShellSteps(job).Select(script => (job, script))).ToList();

        Assert.True(steps.Count >= 10, $"only {steps.Count} PowerShell steps found");
        Assert.All(steps, step =>
        {
            var first = Parser.ParseInput(step.script, out _, out _).EndBlock.Statements[0].Extent.Text;
            Assert.Equal("$ErrorActionPreference = \"Stop\"", first);
            foreach (var name in CommandsIn(step.script).Select(c => c.GetCommandName()).OfType<string>())
            {
                if (Regex.IsMatch(name, "^[A-Za-z]+-Migration", RegexOptions.None))
                {
                    Assert.True(exported.Contains(name), $"{step.job} names {name}, which the module does not export");
                }
            }
        });
    }

    [Fact]
    public void Every_run_step_uses_pwsh_with_a_single_quoted_script_or_no_PowerShell_at_all()
    {
        foreach (var job in Jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
        {
            foreach (var command in Commands(job).Where(c => c.Contains("pwsh", StringComparison.Ordinal)))
            {
                Assert.Matches(PwshCommand, command);
                Assert.Contains("-NonInteractive", command, StringComparison.Ordinal);
            }
        }
    }
}
