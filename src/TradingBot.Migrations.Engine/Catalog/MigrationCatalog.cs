using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// The migrations folder, scanned once: every migration ordered by version, every up script
/// checksummed (downs are read when needed). Knows nothing about databases.
/// </summary>
internal sealed class MigrationCatalog
{
    private readonly Dictionary<MigrationVersion, Migration> byVersion;

    private MigrationCatalog(string folder, IReadOnlyList<Migration> migrations)
    {
        Folder = folder;
        Migrations = migrations;
        byVersion = migrations.ToDictionary(m => m.Version);
    }

    public string Folder { get; }

    /// <summary>Every migration, oldest version first.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    public Migration? Find(MigrationVersion version) => byVersion.GetValueOrDefault(version);

    public static MigrationCatalog Empty(string folder) => new(folder, []);

    public static MigrationCatalog Load(string folder, IPowerShellScriptInspector? powerShell = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new MigrationException(MigrationErrors.MigrationsFolderNotFound,
                $"The migrations folder '{folder}' does not exist. Create it, or pass the right folder with -Path.")
            { FilePath = folder };
        }

        var migrations = new Dictionary<MigrationVersion, Migration>();
        string[] files;
        try
        {
            files = Directory.GetFiles(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(MigrationErrors.MigrationsFolderUnreadable,
                $"Cannot list the migrations folder '{folder}': {e.Message}", e) { FilePath = folder };
        }

        Array.Sort(files, StringComparer.Ordinal);
        var upScripts = new List<ScriptFile>(files.Length / 2 + 1);
        foreach (var path in files)
        {
            AddFile(migrations, path, upScripts);
        }

        Fingerprint(upScripts);

        foreach (var migration in migrations.Values)
        {
            Validate(migration, powerShell);
        }

        var ordered = migrations.Values.OrderBy(m => m.Version).ToList();
        return new MigrationCatalog(folder, ordered);
    }

    private static void AddFile(Dictionary<MigrationVersion, Migration> migrations, string path, List<ScriptFile> upScripts)
    {
        var fileName = Path.GetFileName(path);
        if (!MigrationFileName.IsCandidate(fileName))
        {
            return;
        }

        if (!MigrationFileName.TryParse(fileName, out var versionText, out var name, out var role))
        {
            throw ScriptFile.Invalid(path, MigrationErrors.InvalidMigrationFileName,
                $"'{fileName}' does not follow the naming convention {MigrationFileName.Convention}; names are words joined by - or _.");
        }

        if (!MigrationVersion.TryParse(versionText, out var version, out var problem))
        {
            throw ScriptFile.Invalid(path, MigrationErrors.InvalidMigrationVersion, $"'{fileName}': {problem}.");
        }

        if (!migrations.TryGetValue(version, out var migration))
        {
            migration = new Migration(version, name);
            migrations.Add(version, migration);
        }
        else if (!string.Equals(migration.Name, name, StringComparison.Ordinal) || migration.Version.Text != versionText)
        {
            throw ScriptFile.Invalid(path, MigrationErrors.DuplicateMigrationVersion,
                $"Two migrations share version {version}: '{migration}' and '{versionText}__{name}'. Give one of them a new version.");
        }

        if (role.IsPowerShell)
        {
            migration.PowerShellScript = ScriptFile.Read(path);
            return;
        }

        // Up scripts give status its checksums (Fingerprint, below), so a bad one fails the load; downs are read when a run or the linter needs them.
        var script = ScriptFile.Deferred(path);
        migration.Add(role.Direction!.Value, role.Dialect, script);
        if (role.Direction == ScriptDirection.Up)
        {
            upScripts.Add(script);
        }
    }

    // A file costs a few system calls (a stat when its fingerprint is cached, else open, read and close), so
    // large folders are spread over the cores. The first bad file in name order is the one reported.
    private static void Fingerprint(List<ScriptFile> scripts)
    {
        const int worthSpreading = 256;
        if (scripts.Count < worthSpreading || Environment.ProcessorCount == 1)
        {
            scripts.ForEach(s => s.EnsureFingerprint());
            return;
        }

        var failures = new MigrationException?[scripts.Count];
        Parallel.For(0, scripts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                scripts[i].EnsureFingerprint();
            }
            catch (MigrationException e)
            {
                failures[i] = e;
            }
        });

        if (Array.Find(failures, f => f is not null) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private static void Validate(Migration migration, IPowerShellScriptInspector? powerShell)
    {
        if (migration.PowerShellScript is { } ps1)
        {
            if (migration.SqlScripts.FirstOrDefault() is { } sql)
            {
                throw ScriptFile.Invalid(sql.Path, MigrationErrors.MixedMigrationKinds,
                    $"Version {migration.Version} has both a PowerShell script and SQL files ({sql.FileName}). Keep one kind per version.");
            }

            var blocks = powerShell?.DefinedBlocks(ps1) ?? GuessPowerShellBlocks(ps1);
            if (!blocks.Contains("Up", StringComparer.OrdinalIgnoreCase))
            {
                throw ScriptFile.Invalid(ps1.Path, MigrationErrors.PowerShellMigrationWithoutUp,
                    $"{ps1.FileName} defines no Up block. It must return @{{ Up = {{ param($Migration) ... }}; Down = {{ param($Migration) ... }} }}.");
            }

            migration.PowerShellHasDown = blocks.Contains("Down", StringComparer.OrdinalIgnoreCase);
            return;
        }

        if (!Enum.GetValues<SqlDialect>().Any(dialect => migration.UpFor(dialect) is not null))
        {
            var down = migration.SqlScripts.First();
            throw ScriptFile.Invalid(down.Path, MigrationErrors.DownWithoutUp,
                $"{down.FileName} has no matching up script. Add {migration}.up.sql, or remove the down.");
        }

    }

    // Without a PowerShell parser (engine-only use), a textual look is the best we can do.
    private static readonly string[] PowerShellBlockNames = ["Up", "Down"];

    private static string[] GuessPowerShellBlocks(ScriptFile script) =>
        PowerShellBlockNames
            .Where(b => System.Text.RegularExpressions.Regex.IsMatch(script.Text, $@"(?im)^\s*{b}\s*=\s*\{{"))
            .ToArray();
}
