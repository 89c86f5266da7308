using System.Globalization;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>Writes a new migration's files from a template, at the next version by default.</summary>
internal static class MigrationScaffolder
{
    public static IReadOnlyList<string> Create(string folder, string name, string? versionText, MigrationKind kind, DateTime utcNow,
        string? upSql = null, string? downSql = null)
    {
        if (!MigrationFileName.IsValidName(name ?? string.Empty))
        {
            throw new MigrationException(MigrationErrors.InvalidMigrationName,
                $"'{name}' is not a valid migration name: use letters and digits, words joined by - or _ (no spaces, dots or path separators), such as add-user-email.");
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(MigrationErrors.MigrationFileNotWritten, $"Cannot create the migrations folder {folder}: {e.Message}", e);
        }

        var existing = ExistingVersions(folder);
        MigrationVersion version;
        if (versionText is null)
        {
            version = NextVersion(existing, utcNow);
        }
        else if (!MigrationVersion.TryParse(versionText, out version, out var problem))
        {
            throw new MigrationException(MigrationErrors.InvalidMigrationVersion, $"-Version: {problem}.");
        }

        if (existing.Contains(version))
        {
            throw new MigrationException(MigrationErrors.MigrationVersionExists,
                $"Version {version} already exists in {folder}. Pick another -Version, or leave it out to take the next one.");
        }

        var stem = $"{version.Text}__{name}";
        var files = kind == MigrationKind.PowerShell
            ? new[] { (stem + ".ps1", PowerShellTemplate(version, name!)) }
            : new[]
            {
                (stem + ".up.sql", $"-- {version} {name}: up\n-- Add '-- transaction: none' on the first line for statements such as CREATE INDEX CONCURRENTLY.\n\n{upSql}"),
                (stem + ".down.sql", $"-- {version} {name}: down (undo everything the up script did)\n\n{downSql}"),
            };
        var root = Path.GetFullPath(folder);
        var written = new List<string>();
        try
        {
            foreach (var (fileName, content) in files)
            {
                var path = Path.GetFullPath(Path.Combine(root, fileName));
                if (!string.Equals(Path.GetDirectoryName(path), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
                {
                    throw new MigrationException(MigrationErrors.PathOutsideFolder, $"'{fileName}' would be written outside {root}.");
                }

                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write(content);
                written.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in written)
            {
                File.Delete(path);
            }

            throw new MigrationException(MigrationErrors.MigrationFileNotWritten, $"Cannot write the migration files in {root}: {e.Message}", e);
        }

        return written;
    }

    /// <summary>The versions named by the files in a folder, read from file names only.</summary>
    public static HashSet<MigrationVersion> ExistingVersions(string folder)
    {
        var versions = new HashSet<MigrationVersion>();
        if (!Directory.Exists(folder))
        {
            return versions;
        }

        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (MigrationFileName.TryParse(Path.GetFileName(path), out var text, out _, out _) && MigrationVersion.TryParse(text, out var version, out _))
            {
                versions.Add(version);
            }
        }

        return versions;
    }

    /// <summary>The next patch of the highest dotted version, or the current UTC timestamp where the folder uses timestamps.</summary>
    public static MigrationVersion NextVersion(IReadOnlyCollection<MigrationVersion> existing, DateTime utcNow)
    {
        if (existing.Count == 0)
        {
            return MigrationVersion.Parse("1.0.0");
        }

        var highest = existing.Max()!;
        if (highest.IsTimestamp)
        {
            var stamp = MigrationVersion.Parse(utcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
            return stamp > highest ? stamp : highest.NextPatch();
        }

        return highest.NextPatch();
    }

    private static string PowerShellTemplate(MigrationVersion version, string name) =>
        $$"""
        # {{version}} {{name}}: a data migration. $Migration runs SQL inside this migration's transaction:
        #   $Migration.Execute('UPDATE t SET x = @x WHERE id = @id', @{ x = 1; id = 2 })
        #   $Migration.Query('SELECT id FROM t WHERE x IS NULL LIMIT 1000')
        #   $Migration.Scalar('SELECT count(*) FROM t')
        @{
            Up = {
                param($Migration)
            }
            Down = {
                param($Migration)
            }
        }

        """;
}
