using System.Management.Automation;
using System.Xml.Linq;

namespace TradingBot.Migrations.Tests;

/// <summary>Help, views, completion and manifest hygiene, through the hosted engine.</summary>
public sealed class PowerShellExperienceTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public PowerShellExperienceTests()
    {
        session = new PowerShellSession(folder.Path);
    }

    public static TheoryData<string> Cmdlets() => new(ExportedCmdlets());

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_cmdlet_has_full_help_with_a_description_two_examples_and_every_parameter_described(string cmdlet)
    {
        var help = session.Run($"Get-Help {cmdlet} -Full").ThrowOnError().Output.Single();

        Assert.False(string.IsNullOrWhiteSpace(help.Properties["Synopsis"].Value?.ToString()));
        Assert.DoesNotContain(cmdlet + " [", help.Properties["Synopsis"].Value?.ToString() ?? string.Empty, StringComparison.Ordinal); // not the bare syntax PowerShell shows without help
        Assert.NotEmpty(session.Run($"(Get-Help {cmdlet} -Full).description.Text").ThrowOnError().Output);
        var examples = session.Run($"(Get-Help {cmdlet} -Full).examples.example.code").ThrowOnError().Output;
        Assert.True(examples.Count >= 2, $"{cmdlet} has {examples.Count} example(s)");
        // A DontShow parameter only binds pipeline rows (PipedTarget: a status row's Target); pwsh hides it, and so does help.
        var parameters = session.Run($"(Get-Command {cmdlet}).Parameters.Values | Where-Object {{ -not ($_.Attributes | Where-Object DontShow) }} | ForEach-Object Name")
            .ThrowOnError().Output.Select(p => p.ToString())
            .Except(CommonParameters, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var parameter in parameters)
        {
            var text = session.Run($"((Get-Help {cmdlet} -Parameter {parameter}).description | ForEach-Object Text) -join ' '").ThrowOnError().Output;
            Assert.True(text.Count == 1 && text[0].ToString()!.Trim().Length > 0, $"{cmdlet} -{parameter} has no help");
        }
    }

    [Fact]
    public void The_about_topic_explains_files_configuration_and_ci()
    {
        var text = string.Join('\n', session.Run("Get-Help about_TradingBot.Migrations").ThrowOnError().Output.Select(o => o.ToString()));

        Assert.Contains("FILE CONVENTIONS", text, StringComparison.Ordinal);
        Assert.Contains("CONFIGURATION", text, StringComparison.Ordinal);
        Assert.Contains("THE CI WORKFLOW", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_output_type_has_a_default_table_view_and_carries_its_type_name()
    {
        var views = XDocument.Load(Path.Combine(RepositoryPaths.Root, "module", "TradingBot.Migrations.Format.ps1xml"))
            .Descendants("View").Select(v => (string)v.Element("ViewSelectedBy")!.Element("TypeName")!).ToList();
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id INTEGER);");

        var status = session.Run("Get-MigrationStatus").ThrowOnError().Output.Single();
        var result = session.Run("Invoke-Migration").ThrowOnError().Output.Single();

        Assert.Contains(status.TypeNames[0], views);
        Assert.Contains(result.TypeNames[0], views);
    }

    [Fact]
    public void TargetVersion_completes_from_the_migrations_folder_newest_first()
    {
        folder.Write("1.0.9__a.up.sql", "SELECT 1;");
        folder.Write("1.0.10__b.up.sql", "SELECT 1;");
        folder.Write("2.0.0__c.up.sql", "SELECT 1;");

        var script = "Invoke-Migration -TargetVersion 1.0.";
        var matches = session.Run($"[System.Management.Automation.CommandCompletion]::CompleteInput('{script}', {script.Length}, $null).CompletionMatches.CompletionText").ThrowOnError().Output
            .Select(o => o.ToString()).ToList();

        Assert.Equal(["1.0.10", "1.0.9"], matches);
    }

    [Fact]
    public void The_manifest_passes_Test_ModuleManifest_and_exports_only_approved_verbs()
    {
        var manifest = session.Run($"Test-ModuleManifest -Path '{RepositoryPaths.Manifest}'").ThrowOnError().Output.Single();
        var approved = session.Run("[System.Management.Automation.VerbsCommon].GetFields().Name + [System.Management.Automation.VerbsLifecycle].GetFields().Name + [System.Management.Automation.VerbsData].GetFields().Name + [System.Management.Automation.VerbsDiagnostic].GetFields().Name")
            .ThrowOnError().Output.Select(o => o.ToString()).ToHashSet();

        Assert.Equal("0.1.0", manifest.Properties["Version"].Value.ToString());
        Assert.All(ExportedCmdlets(), c => Assert.Contains(c.Split('-')[0], approved));
        Assert.NotEmpty(((System.Collections.IEnumerable)manifest.Properties["ExportedFormatFiles"].Value).Cast<object>());
    }

    [Fact]
    public void WhatIf_describes_each_migration_and_verbose_shows_its_sql()
    {
        folder.Write("1.0.1__create-a.up.sql", "CREATE TABLE a (id INTEGER);");

        var result = session.Run("Invoke-Migration -WhatIf -Verbose").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("CREATE TABLE a (id INTEGER);", StringComparison.Ordinal));
    }

    private static readonly string[] CommonParameters =
        ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
         "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"];

    private static List<string> ExportedCmdlets()
    {
        var text = File.ReadAllText(RepositoryPaths.Manifest);
        var start = text.IndexOf("CmdletsToExport", StringComparison.Ordinal);
        var end = text.IndexOf(')', start);
        return System.Text.RegularExpressions.Regex.Matches(text[start..end], "'([A-Za-z]+-[A-Za-z]+)'").Select(m => m.Groups[1].Value).ToList();
    }
}
