using System.Globalization;

namespace TradingBot.Migrations.Testing;

/// <summary>Where PostgreSQL's programs are: Debian's /usr/lib/postgresql/N/bin (highest N first), then PATH.</summary>
internal static class PostgresBinaries
{
    /// <summary>The folder with initdb, pg_ctl and postgres, or null where the server is not installed.</summary>
    public static string? FindServer()
    {
        var versioned = VersionedDirectories().FirstOrDefault(HasServer);
        if (versioned is not null)
        {
            return versioned;
        }

        // On PATH, possibly as symlinks (pg_ctl finds postgres beside its real path).
        return SearchPath("pg_ctl")
            .Select(p => new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? p)
            .Select(Path.GetDirectoryName)
            .OfType<string>()
            .FirstOrDefault(HasServer);
    }

    /// <summary>The psql client, or null.</summary>
    public static string? FindPsql()
    {
        var candidates = new List<string>();
        candidates.AddRange(SearchPath("psql"));
        candidates.Add("/usr/bin/psql");
        candidates.AddRange(VersionedDirectories().Select(d => Path.Combine(d, "psql")));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static bool HasServer(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"))
        && File.Exists(Path.Combine(directory, "postgres"));

    private static List<string> VersionedDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .Select(d => (Dir: d, Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .Where(Directory.Exists)
            .ToList();
    }

    private static IEnumerable<string> SearchPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .Where(File.Exists);
}
