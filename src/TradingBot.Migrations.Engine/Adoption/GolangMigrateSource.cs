using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// golang-migrate (github.com/golang-migrate/migrate v4): files <c>&lt;version&gt;_&lt;title&gt;.up.&lt;ext&gt;</c> and
/// <c>.down.&lt;ext&gt;</c> (source/parse.go: <c>^([0-9]+)_(.*)\.(down|up)\.(.*)$</c>, versions compared as numbers); its table
/// <c>schema_migrations (version bigint not null primary key, dirty boolean not null)</c> (database/postgres/postgres.go;
/// database/sqlite3/sqlite3.go: <c>(version uint64, dirty bool)</c>) holds one row, the current version: every version up to it is
/// applied, and a dirty one failed part-way. Each file runs as one Exec: on PostgreSQL in one implicit transaction (alone when it
/// is a single statement), on SQLite wrapped in a transaction.
/// </summary>
internal sealed partial class GolangMigrateSource : IMigrationSource
{
    public SourceTool Tool => SourceTool.GolangMigrate;

    public string DisplayName => "golang-migrate";

    public string DefaultTable => "schema_migrations";

    public IReadOnlyList<ImportedMigration> ReadFolder(string folder, SqlDialect dialect)
    {
        var files = new SortedDictionary<string, (string? Up, string? Down, string Title)>(StringComparer.Ordinal);
        foreach (var path in SourceFiles.List(folder))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (!match.Success)
            {
                continue;
            }

            var version = match.Groups["version"].Value;
            var entry = files.GetValueOrDefault(version, (null, null, match.Groups["title"].Value));
            var existing = match.Groups["direction"].Value == "up" ? entry.Up : entry.Down;
            if (existing is not null)
            {
                throw SourceFiles.Unconvertible(path, null, $"version {version} has two {match.Groups["direction"].Value} files ({Path.GetFileName(existing)}), which golang-migrate refuses");
            }

            files[version] = match.Groups["direction"].Value == "up" ? entry with { Up = path } : entry with { Down = path };
        }

        var migrations = new List<ImportedMigration>();
        foreach (var (versionText, (up, down, title)) in files)
        {
            if (up is null)
            {
                throw SourceFiles.Unconvertible(down!, null, "it is a down file without an up file of its version");
            }

            var version = SourceFiles.Version(up, versionText);
            var name = SourceFiles.Name(up, title);
            var upText = SourceFiles.Read(up);
            if (!SourceFiles.HasSql(upText))
            {
                throw SourceFiles.Unconvertible(up, 1, "it holds no statement, and this module does not run an empty script");
            }

            var downText = down is null ? null : SourceFiles.Read(down);
            var stem = $"{version.Text}__{name}";
            migrations.Add(new ImportedMigration(version, name, up,
                SourceFiles.Script(up, stem + ".up.sql", upText, InTransaction(upText, dialect), 1),
                downText is not null && SourceFiles.HasSql(downText) ? SourceFiles.Script(down!, stem + ".down.sql", downText, InTransaction(downText, dialect), 1) : null));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        SourceFiles.CheckOrder(migrations, DisplayName);
        return migrations;
    }

    public bool Recognises(IReadOnlyCollection<string> columns) => columns.Count == 2 && columns.Contains("version") && columns.Contains("dirty");

    public string HistoryQuery(string quotedTable, Func<string, string> utc) => $"SELECT version, dirty FROM {quotedTable}";

    // One row: the current version (-1 for none). Everything below it is applied; it is applied too unless dirty.
    public IReadOnlyList<SourceHistoryRow> ReadHistory(IReadOnlyList<object?[]> rows, IReadOnlyList<ImportedMigration> migrations)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var current = SourceValues.Long(rows[0][0]);
        var dirty = SourceValues.Bool(rows[0][1]);
        if (current < 0 && !dirty)
        {
            return [];
        }

        var below = migrations.Where(m => m.Version < Catalog.MigrationVersion.Parse(Math.Max(current, 0).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(m => new SourceHistoryRow(m.Version.Text, null, Failed: false));
        var top = new SourceHistoryRow(current.ToString(System.Globalization.CultureInfo.InvariantCulture), null, dirty,
            dirty ? "golang-migrate left this version dirty: it failed part-way, and what it changed was not rolled back" : null);
        return [.. below, top];
    }

    // What golang-migrate's one Exec did: a file that controls its own transaction, or a single statement PostgreSQL refuses in
    // a transaction (CREATE INDEX CONCURRENTLY, VACUUM), ran outside one; everything else ran in one.
    private static bool InTransaction(string text, SqlDialect dialect)
    {
        var statements = SqlStatementSplitter.Split(text, dialect).Where(s => s.Verb.Length > 0).ToList();
        if (statements.Any(s => TransactionStatements.EffectOf(s) != TransactionEffect.None))
        {
            return false;
        }

        return !(dialect == SqlDialect.PostgreSql && statements.Count == 1 && CannotRunInTransaction(statements[0]));
    }

    private static bool CannotRunInTransaction(SqlStatement statement) =>
        statement.Verb == "VACUUM" || ConcurrentlyOrDatabase().IsMatch(statement.Text);

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<title>.*)\.(?<direction>down|up)\.(?<ext>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"\bCONCURRENTLY\b|^\s*(CREATE|DROP)\s+DATABASE\b|^\s*ALTER\s+SYSTEM\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConcurrentlyOrDatabase();
}
