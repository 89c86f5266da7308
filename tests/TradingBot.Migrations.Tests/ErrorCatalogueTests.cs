using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// One catalogue of error ids: the README's table, the cmdlets' ErrorCatalogue and the engine's MigrationErrors list the
/// same ids, each with one category, and every place that raises an error names an entry of it.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private static readonly string[] ModuleOwnIds = ["UnsafeMigration", "UnsupportedReportInput", "InvalidReportFile"];

    [Fact]
    public void The_readme_table_of_error_ids_and_the_catalogue_agree_both_ways()
    {
        var readme = ReadmeTable();
        var catalogue = Catalogue();

        Assert.Empty(catalogue.Keys.Except(readme.Keys).Select(id => $"{id} is in the catalogue, not in the README"));
        Assert.Empty(readme.Keys.Except(catalogue.Keys).Select(id => $"{id} is in the README, not in the catalogue"));
        Assert.Empty(catalogue.Where(e => readme[e.Key] != e.Value).Select(e => $"{e.Key}: the catalogue says {e.Value}, the README {readme[e.Key]}"));
    }

    [Fact]
    public void Every_engine_error_has_its_catalogue_entry_and_the_catalogue_nothing_else()
    {
        var engineErrors = EngineErrors();
        var catalogue = Catalogue();

        Assert.Empty(engineErrors.Where(e => e.Field != e.Id).Select(e => $"MigrationErrors.{e.Field} has the id {e.Id}"));
        Assert.Equal(engineErrors.Count, engineErrors.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(engineErrors.Select(e => e.Id).Except(catalogue.Keys).Select(id => $"{id} has no catalogue entry"));
        Assert.Equal(
            engineErrors.Select(e => e.Id).Concat(ModuleOwnIds).Order(StringComparer.Ordinal),
            catalogue.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(catalogue.Count, CatalogueEntries().Count);
        Assert.All(CatalogueEntries(), e => Assert.False(string.IsNullOrWhiteSpace(e.Action), $"{e.Id} has no recommended action"));
    }

    [Fact]
    public void Every_error_the_code_raises_is_a_catalogue_entry_and_every_entry_is_raised()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'), File.ReadAllText);
        var catalogue = Catalogue();
        const string EngineList = "src/TradingBot.Migrations.Engine/MigrationErrors.cs";
        const string CatalogueFile = "src/TradingBot.Migrations/Errors/ErrorCatalogue.cs";
        const string RecordsFile = "src/TradingBot.Migrations/Errors/ErrorRecords.cs";

        var raised = sources.Where(s => s.Key is not EngineList and not CatalogueFile)
            .SelectMany(s => RaisedEntry().Matches(s.Value).Select(m => (File: s.Key, Id: m.Groups["id"].Value)))
            .ToList();

        Assert.Empty(raised.Where(r => !catalogue.ContainsKey(r.Id)).Select(r => $"{r.File} raises {r.Id}, which is not in the catalogue"));
        Assert.Empty(catalogue.Keys.Except(raised.Select(r => r.Id)).Select(id => $"{id} is in the catalogue but nothing raises it"));
        // Errors are made in one place each, from an entry: no error id is written as a literal where it is raised.
        Assert.Empty(Outside(sources, "new MigrationError(", EngineList));
        Assert.Empty(Outside(sources, "new ErrorEntry(", CatalogueFile));
        Assert.Empty(Outside(sources, "new ErrorRecord(", RecordsFile));
        Assert.Empty(Outside(sources, "MigrationErrorKind.", EngineList, "src/TradingBot.Migrations.Engine/MigrationEngine.cs"));
    }

    private static IEnumerable<string> Outside(Dictionary<string, string> sources, string text, params string[] allowed) =>
        sources.Where(s => !allowed.Contains(s.Key) && s.Value.Contains(text, StringComparison.Ordinal)).Select(s => $"{s.Key} has {text}");

    private static Dictionary<string, string> ReadmeTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("\n### Error ids\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Error ids' section");
        var section = readme[(start + 1)..];
        var end = section.IndexOf("\n#", 1, StringComparison.Ordinal);
        var rows = ReadmeRow().Matches(end < 0 ? section : section[..end]).Select(m => (Id: m.Groups["id"].Value, Category: m.Groups["category"].Value)).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        return rows.ToDictionary(r => r.Id, r => r.Category, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> Catalogue() =>
        CatalogueEntries().DistinctBy(e => e.Id).ToDictionary(e => e.Id, e => e.Category, StringComparer.Ordinal);

    private static List<(string Id, string Category, string Action)> CatalogueEntries()
    {
        var entries = (IEnumerable)ModuleInternals.Static("TradingBot.Migrations.Errors.ErrorCatalogue", "Entries")!;
        return entries.Cast<object>()
            .Select(e => (Read(e, "Id"), Read(e, "Category"), Read(e, "RecommendedAction")))
            .ToList();
    }

    private static List<(string Field, string Id)> EngineErrors()
    {
        var list = ModuleInternals.Type("TradingBot.Migrations.Errors.ErrorCatalogue").GetMethod("For")!.GetParameters()[0].ParameterType.Assembly
            .GetType("TradingBot.Migrations.Engine.MigrationErrors", throwOnError: true)!;
        return list.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.Name, Read(f.GetValue(null)!, "Id")))
            .ToList();
    }

    private static string Read(object value, string property) => value.GetType().GetProperty(property)!.GetValue(value)!.ToString()!;

    [GeneratedRegex(@"^\| `(?<id>\w+)` \| (?<category>\w+) \| .+ \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();

    [GeneratedRegex(@"\b(?:MigrationErrors|ErrorCatalogue)\.(?<id>[A-Z]\w*)\b(?!\()")]
    private static partial Regex RaisedEntry();
}
