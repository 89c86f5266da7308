using System.Globalization;
using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// goose (github.com/pressly/goose v3): files <c>&lt;version&gt;_&lt;name&gt;.sql</c> (migration.go, NumericComponent: the number before
/// the first '_', at least 1) with <c>-- +goose Up</c>, <c>-- +goose Down</c>, <c>StatementBegin</c>/<c>StatementEnd</c> and
/// <c>NO TRANSACTION</c> annotations (internal/sqlparser/parser.go); its table <c>goose_db_version (id, version_id, is_applied,
/// tstamp)</c> (internal/dialects/postgres.go, sqlite3.go), where the newest row of a version says whether it is applied
/// (migrate.go, EnsureDBVersionContext) and version 0 is the table's own first row.
/// </summary>
internal sealed partial class GooseSource : IMigrationSource
{
    public SourceTool Tool => SourceTool.Goose;

    public string DisplayName => "goose";

    public string DefaultTable => "goose_db_version";

    public IReadOnlyList<ImportedMigration> ReadFolder(string folder, SqlDialect dialect)
    {
        var migrations = new List<ImportedMigration>();
        foreach (var path in SourceFiles.List(folder))
        {
            var file = Path.GetFileName(path);
            var match = FileName().Match(file);
            if (!match.Success)
            {
                continue;
            }

            if (match.Groups["ext"].Value == "go")
            {
                throw SourceFiles.Unconvertible(path, null, "it is a Go migration, code this module cannot run; rewrite it as SQL (or a .ps1 migration) first");
            }

            var version = SourceFiles.Version(path, match.Groups["version"].Value);
            if (long.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture) < 1)
            {
                throw SourceFiles.Unconvertible(path, null, "goose versions start at 1");
            }

            migrations.Add(Convert(path, version, SourceFiles.Name(path, match.Groups["name"].Value)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        SourceFiles.CheckOrder(migrations, DisplayName);
        return migrations;
    }

    public bool Recognises(IReadOnlyCollection<string> columns) =>
        columns.Contains("version_id") && columns.Contains("is_applied") && columns.Contains("tstamp");

    public string HistoryQuery(string quotedTable, Func<string, string> utc) =>
        $"SELECT version_id, is_applied, {utc("tstamp")} FROM {quotedTable} ORDER BY id";

    public IReadOnlyList<SourceHistoryRow> ReadHistory(IReadOnlyList<object?[]> rows, IReadOnlyList<ImportedMigration> migrations)
    {
        var newest = new Dictionary<long, object?[]>();
        foreach (var row in rows)
        {
            newest[SourceValues.Long(row[0])] = row;
        }

        return newest.Where(pair => pair.Key != 0 && SourceValues.Bool(pair.Value[1]))
            .Select(pair => new SourceHistoryRow(pair.Key.ToString(CultureInfo.InvariantCulture), SourceValues.UtcTime(pair.Value[2]), Failed: false))
            .ToList();
    }

    private static ImportedMigration Convert(string path, Catalog.MigrationVersion version, string name)
    {
        var lines = SourceFiles.Read(path).Split('\n');
        var up = new List<string>();
        var down = new List<string>();
        List<string>? current = null;
        var (upLine, downLine, statementLine, inTransaction, inStatement) = (0, 0, 0, true, false);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Contains("+goose", StringComparison.Ordinal))
            {
                var annotation = line.Replace("--", string.Empty, StringComparison.Ordinal).Replace("+goose", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
                switch (annotation)
                {
                    case "UP" when current is null:
                        (current, upLine) = (up, i + 1);
                        break;
                    case "DOWN" when current == up && !inStatement:
                        (current, downLine) = (down, i + 1);
                        break;
                    case "STATEMENTBEGIN" when current is not null && !inStatement:
                        (inStatement, statementLine) = (true, i + 1);
                        break;
                    case "STATEMENTEND" when inStatement:
                        inStatement = false;
                        break;
                    case "NO TRANSACTION":
                        inTransaction = false;
                        break;
                    default:
                        throw SourceFiles.Unconvertible(path, i + 1, annotation.StartsWith("ENVSUB", StringComparison.Ordinal)
                            ? "goose substitutes environment variables into it (ENVSUB), which this module does not"
                            : $"'{line.Trim()}' is not where goose accepts it, or not an annotation this import knows");
                }

                continue;
            }

            if (current is null)
            {
                if (line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal))
                {
                    throw SourceFiles.Unconvertible(path, i + 1, "a statement comes before '-- +goose Up', which goose refuses");
                }

                continue;
            }

            current.Add(line);
        }

        if (current is null || inStatement)
        {
            throw SourceFiles.Unconvertible(path, current is null ? 1 : statementLine, current is null ? "it has no '-- +goose Up' annotation" : "a '-- +goose StatementBegin' has no StatementEnd");
        }

        var upText = string.Join('\n', up);
        if (!SourceFiles.HasSql(upText))
        {
            throw SourceFiles.Unconvertible(path, upLine, "its up section holds no statement, and this module does not run an empty script");
        }

        var stem = $"{version.Text}__{name}";
        var downText = string.Join('\n', down);
        return new ImportedMigration(version, name, path,
            SourceFiles.Script(path, stem + ".up.sql", upText.TrimStart('\n'), inTransaction, upLine + 1),
            SourceFiles.HasSql(downText) ? SourceFiles.Script(path, stem + ".down.sql", downText.TrimStart('\n'), inTransaction, downLine + 1) : null);
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<name>.*)\.(?<ext>sql|go)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
