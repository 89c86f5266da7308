using System.Management.Automation.Language;

namespace TradingBot.Migrations.Tests;

/// <summary>Every PowerShell file in the repository parses, so the Pester suite and scripts cannot rot unseen.</summary>
public sealed class PowerShellFilesParseTests
{
    public static TheoryData<string> Files() => new(FilePaths());

    private static List<string> FilePaths() =>
        Directory.EnumerateFiles(RepositoryPaths.Root, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".ps1", StringComparison.Ordinal) || p.EndsWith(".psd1", StringComparison.Ordinal) || p.EndsWith(".psm1", StringComparison.Ordinal))
            .Where(p => !IsGenerated(p))
            .Select(p => Path.GetRelativePath(RepositoryPaths.Root, p))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(Files))]
    public void File_parses_without_errors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(RepositoryPaths.Root, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void The_pester_suite_is_among_the_parsed_files()
    {
        var files = FilePaths();
        Assert.Contains(files, file => file.StartsWith("tests" + Path.DirectorySeparatorChar + "pester", StringComparison.Ordinal));
        Assert.Contains(files, file => file.StartsWith("migrations" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    private static bool IsGenerated(string path)
    {
        var relative = Path.GetRelativePath(RepositoryPaths.Root, path);
        return relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "artifacts" or "out" or "node_modules" or ".git");
    }
}
