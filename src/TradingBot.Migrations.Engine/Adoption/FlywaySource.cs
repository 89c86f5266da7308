using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// Flyway (github.com/flyway/flyway): <c>V&lt;version&gt;__&lt;description&gt;.sql</c> (version parts split by '.' or '_'), undo files
/// <c>U&lt;version&gt;__...</c>, repeatable <c>R__...</c> (refused: this module has no repeatable migrations), found in the folder and
/// its subfolders; per-script settings in <c>&lt;file&gt;.conf</c> (only <c>executeInTransaction</c> is converted). Its table
/// <c>flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, installed_on,
/// execution_time, success)</c> (flyway-database-postgresql PostgreSQLDatabase.getRawCreateScript; flyway-core
/// SQLiteDatabase.getRawCreateScript): the newest row of a version (by installed_rank) says what it is.
/// </summary>
internal sealed partial class FlywaySource : IMigrationSource
{
    public SourceTool Tool => SourceTool.Flyway;

    public string DisplayName => "Flyway";

    public string DefaultTable => "flyway_schema_history";

    public IReadOnlyList<ImportedMigration> ReadFolder(string folder, SqlDialect dialect)
    {
        var ups = new Dictionary<Catalog.MigrationVersion, (string Path, string Description)>();
        var undos = new Dictionary<Catalog.MigrationVersion, string>();
        foreach (var path in SourceFiles.List(folder, recursive: true))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (!match.Success)
            {
                continue;
            }

            var prefix = match.Groups["prefix"].Value;
            if (prefix == "R")
            {
                throw SourceFiles.Unconvertible(path, null,
                    "it is a repeatable migration, which Flyway runs again whenever it changes; this module has none. Fold it into a versioned migration first");
            }

            if (prefix == "B")
            {
                throw SourceFiles.Unconvertible(path, null, "it is a baseline migration, which Flyway runs only on an empty database instead of the versions below it");
            }

            var version = SourceFiles.Version(path, match.Groups["version"].Value.Replace('_', '.'));
            if (prefix == "V" ? ups.ContainsKey(version) : undos.ContainsKey(version))
            {
                throw SourceFiles.Unconvertible(path, null, $"another {(prefix == "V" ? "versioned" : "undo")} migration has version {version}, which Flyway refuses");
            }

            if (prefix == "V")
            {
                ups[version] = (path, match.Groups["description"].Value);
            }
            else
            {
                undos[version] = path;
            }
        }

        if (undos.Keys.FirstOrDefault(v => !ups.ContainsKey(v)) is { } orphan)
        {
            throw SourceFiles.Unconvertible(undos[orphan], null, "it undoes a version that has no versioned migration");
        }

        var migrations = ups.OrderBy(pair => pair.Key).Select(pair =>
        {
            var (version, (path, description)) = (pair.Key, pair.Value);
            var name = SourceFiles.Name(path, description);
            var stem = $"{version.Text}__{name}";
            var up = Script(path, stem + ".up.sql");
            var down = undos.TryGetValue(version, out var undo) ? Script(undo, stem + ".down.sql") : null;
            return new ImportedMigration(version, name, path, up, down);
        }).ToList();
        SourceFiles.CheckOrder(migrations, DisplayName);
        return migrations;
    }

    public bool Recognises(IReadOnlyCollection<string> columns) =>
        columns.Contains("installed_rank") && columns.Contains("success") && columns.Contains("type") && columns.Contains("installed_on");

    public string HistoryQuery(string quotedTable, Func<string, string> utc) =>
        $"SELECT installed_rank, version, type, success, {utc("installed_on")}, script FROM {quotedTable} ORDER BY installed_rank";

    // The newest row of a version decides. A BASELINE row says the database was at its version when Flyway took it over: Flyway
    // never runs the versions up to it ("Below Baseline"), so they come in as applied at the baseline's time, as a baseline of
    // this module would record them.
    public IReadOnlyList<SourceHistoryRow> ReadHistory(IReadOnlyList<object?[]> rows, IReadOnlyList<ImportedMigration> migrations)
    {
        var newest = new Dictionary<string, SourceHistoryRow?>(StringComparer.Ordinal);
        SourceHistoryRow? baseline = null;
        foreach (var row in rows)
        {
            var (version, type, success, script) = (row[1] is null ? null : SourceValues.Text(row[1]).Replace('_', '.'), SourceValues.Text(row[2]), SourceValues.Bool(row[3]), SourceValues.Text(row[5]));
            if (type == "SCHEMA")
            {
                continue;
            }

            if (version is null)
            {
                throw Refused(row, $"a repeatable migration ({script}), which this module has no equivalent of");
            }

            if (type == "BASELINE")
            {
                baseline = new SourceHistoryRow(version, SourceValues.UtcTime(row[4]), Failed: false);
                continue;
            }

            newest[version] = type switch
            {
                "DELETE" => null,
                "UNDO_SQL" or "UNDO_JDBC" or "UNDO_SCRIPT" => success ? null
                    : new SourceHistoryRow(version, SourceValues.UtcTime(row[4]), Failed: true, "Flyway's undo of this version failed part-way"),
                _ => new SourceHistoryRow(version, SourceValues.UtcTime(row[4]), !success, success ? null : "Flyway recorded this version as failed (success = false)"),
            };
        }

        var below = baseline is null ? [] : migrations
            .Where(m => m.Version <= Catalog.MigrationVersion.Parse(baseline.Version) && !newest.Keys.Any(v => Catalog.MigrationVersion.Parse(v) == m.Version))
            .Select(m => baseline with { Version = m.Version.Text });
        return [.. below, .. newest.Values.OfType<SourceHistoryRow>()];
    }

    private static MigrationException Refused(object?[] row, string what) =>
        new(MigrationErrors.UnconvertibleMigration,
            $"Flyway's history row installed_rank {SourceValues.Text(row[0])} is {what}. Nothing was imported.");

    // Flyway replaces ${placeholders} in every script by default, and reads per-script settings from <script>.conf.
    private static ConvertedFile Script(string path, string fileName)
    {
        var text = SourceFiles.Read(path);
        var placeholder = Placeholder().Match(text);
        if (placeholder.Success)
        {
            throw SourceFiles.Unconvertible(path, SourceFiles.LineAt(text, placeholder.Index),
                $"Flyway replaces the placeholder {placeholder.Value} with a configured value when it runs the script; write the value in its place first");
        }

        if (!SourceFiles.HasSql(text))
        {
            throw SourceFiles.Unconvertible(path, 1, "it holds no statement, and this module does not run an empty script");
        }

        var inTransaction = true;
        if (File.Exists(path + ".conf"))
        {
            var settings = SourceFiles.Read(path + ".conf").Split('\n');
            for (var i = 0; i < settings.Length; i++)
            {
                var setting = settings[i].Trim();
                if (setting.Length == 0 || setting.StartsWith('#'))
                {
                    continue;
                }

                var pair = setting.Split('=', 2, StringSplitOptions.TrimEntries);
                if (pair.Length != 2 || pair[0] != "executeInTransaction" || pair[1] is not ("true" or "false"))
                {
                    throw SourceFiles.Unconvertible(path + ".conf", i + 1, $"'{setting}' is not a script setting this import knows (only executeInTransaction=true|false)");
                }

                inTransaction = pair[1] == "true";
            }
        }

        return SourceFiles.Script(path, fileName, text, inTransaction, 1);
    }

    [GeneratedRegex(@"^(?<prefix>[VURB])(?<version>[0-9][0-9._]*)?__(?<description>.+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"\$\{[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
