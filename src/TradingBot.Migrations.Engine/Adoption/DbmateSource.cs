using System.Globalization;
using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// dbmate (github.com/amacneil/dbmate, v2.36): files <c>&lt;version&gt;_&lt;name&gt;.sql</c> (pkg/dbmate/db.go:
/// <c>^(\d+).*\.sql$</c>, applied in file name order) with <c>-- migrate:up</c> and <c>-- migrate:down</c> blocks and the
/// option <c>transaction:false</c> (pkg/dbmate/migration.go); its table <c>schema_migrations (version varchar primary key)</c>
/// (pkg/driver/postgres/postgres.go, pkg/driver/sqlite/sqlite.go), which records no time.
/// </summary>
internal sealed partial class DbmateSource : IMigrationSource
{
    public SourceTool Tool => SourceTool.Dbmate;

    public string DisplayName => "dbmate";

    public string DefaultTable => "schema_migrations";

    public IReadOnlyList<ImportedMigration> ReadFolder(string folder, SqlDialect dialect)
    {
        var migrations = new List<ImportedMigration>();
        foreach (var path in SourceFiles.List(folder))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (match.Success)
            {
                migrations.Add(Convert(path, match.Groups["version"].Value, match.Groups["rest"].Value));
            }
        }

        SourceFiles.CheckOrder(migrations, DisplayName);
        return migrations;
    }

    public bool Recognises(IReadOnlyCollection<string> columns) => columns.Count == 1 && columns.Contains("version");

    public string HistoryQuery(string quotedTable, Func<string, string> utc) => $"SELECT version FROM {quotedTable}";

    // A row is an applied version; dbmate deletes the row when it rolls one back.
    public IReadOnlyList<SourceHistoryRow> ReadHistory(IReadOnlyList<object?[]> rows, IReadOnlyList<ImportedMigration> migrations) =>
        rows.Select(row => new SourceHistoryRow(System.Convert.ToString(row[0], CultureInfo.InvariantCulture)!, AppliedAtUtc: null, Failed: false)).ToList();

    private static ImportedMigration Convert(string path, string versionText, string description)
    {
        var text = SourceFiles.Read(path);
        var version = SourceFiles.Version(path, versionText);
        var name = SourceFiles.Name(path, description);
        var ups = UpDirective().Matches(text);
        if (ups.Count == 0)
        {
            throw SourceFiles.Unconvertible(path, 1, "it has no '-- migrate:up' block");
        }

        var beforeUp = text[..ups[0].Index].Split('\n');
        for (var i = 0; i < beforeUp.Length; i++)
        {
            var line = beforeUp[i].Trim();
            if (line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal))
            {
                throw SourceFiles.Unconvertible(path, i + 1, "a statement comes before '-- migrate:up', which dbmate refuses");
            }
        }

        if (ups.Count > 1)
        {
            throw SourceFiles.Unconvertible(path, SourceFiles.LineAt(text, ups[1].Index),
                "it has a second '-- migrate:up' section, each run on its own by dbmate; split it into one file per section first");
        }

        var downs = DownDirective().Matches(text);
        if (downs.Count != 1 || downs[0].Index < ups[0].Index)
        {
            throw SourceFiles.Unconvertible(path, downs.Count > 1 ? SourceFiles.LineAt(text, downs[1].Index) : SourceFiles.LineAt(text, ups[0].Index),
                downs.Count == 0 ? "it has no '-- migrate:down' block, which dbmate requires"
                    : downs.Count > 1 ? "it has a second '-- migrate:down' block" : "'-- migrate:down' comes before '-- migrate:up'");
        }

        var stem = $"{version.Text}__{name}";
        var up = Block(path, text, ups[0].Index, downs[0].Index);
        if (!SourceFiles.HasSql(up.Body))
        {
            throw SourceFiles.Unconvertible(path, up.DirectiveLine, "its up block holds no statement, and this module does not run an empty script");
        }

        var down = Block(path, text, downs[0].Index, text.Length);
        return new ImportedMigration(version, name, path,
            SourceFiles.Script(path, stem + ".up.sql", up.Body, up.InTransaction, up.DirectiveLine + 1),
            SourceFiles.HasSql(down.Body) ? SourceFiles.Script(path, stem + ".down.sql", down.Body, down.InTransaction, down.DirectiveLine + 1) : null);
    }

    // A block runs from its directive line to the next directive; dbmate reads its options from the directive line alone.
    private static (string Body, bool InTransaction, int DirectiveLine) Block(string path, string text, int start, int end)
    {
        var lineEnd = text.IndexOf('\n', start);
        var directive = lineEnd < 0 || lineEnd > end ? text[start..end] : text[start..lineEnd];
        var body = lineEnd < 0 || lineEnd >= end ? string.Empty : text[(lineEnd + 1)..end];
        var line = SourceFiles.LineAt(text, start);
        var inTransaction = true;
        foreach (var option in DirectivePrefix().Replace(directive, string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = option.Split(':');
            if (pair.Length != 2)
            {
                continue; // dbmate ignores what is not key:value
            }

            if (pair[0] != "transaction")
            {
                throw SourceFiles.Unconvertible(path, line, $"dbmate option '{option}' is not one this import knows (only transaction:false)");
            }

            inTransaction = pair[1] != "false";
        }

        return (body, inTransaction, line);
    }

    // The expressions of pkg/dbmate/migration.go and db.go, unchanged: .NET reads them as Go's RE2 does.
    [GeneratedRegex(@"^(?<version>\d+)(?<rest>.*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^--\s*migrate:up(\s*$|\s+\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex UpDirective();

    [GeneratedRegex(@"^--\s*migrate:down(\s*$|\s+\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DownDirective();

    [GeneratedRegex(@"^--\s*migrate:(up|down)", RegexOptions.CultureInvariant)]
    private static partial Regex DirectivePrefix();
}
