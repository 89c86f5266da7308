using TradingBot.Migrations.Engine.Catalog;
using System.Text.Json;
using System.Xml.Linq;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Safety.Reports;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

public class SuppressionTests
{
    private static IReadOnlyList<SafetyFinding> Lint(string up, string? down = "SELECT 1;") =>
        SafetyAnalyzer.Analyze(SafetyMigration.FromScripts("1.0.0", up, down));

    [Fact]
    public void Suppression_on_the_line_before_covers_the_next_statement_and_is_reported_as_suppressed()
    {
        var findings = Lint("SET lock_timeout = '5s';\n-- safety: ignore drop-column reason: fee unused since 2026-10\nALTER TABLE trades DROP COLUMN fee;");
        var drop = Assert.Single(findings, f => f.Rule == "drop-column");
        Assert.True(drop.Suppressed);
        Assert.Equal("fee unused since 2026-10", drop.SuppressionReason);
        Assert.Equal(3, drop.Line);
    }

    [Fact]
    public void Suppression_covers_only_the_next_statement()
    {
        var findings = Lint("SET lock_timeout = '5s';\n-- safety: ignore drop-column reason: unused\nALTER TABLE a DROP COLUMN x;\nALTER TABLE b DROP COLUMN y;");
        Assert.Equal([true, false], findings.Where(f => f.Rule == "drop-column").Select(f => f.Suppressed));
    }

    [Fact]
    public void Trailing_suppression_covers_the_statement_on_its_line_not_the_next()
    {
        var findings = Lint("SET lock_timeout = '5s';\nALTER TABLE a DROP COLUMN x; -- safety: ignore drop-column reason: unused\nALTER TABLE b DROP COLUMN y;");
        Assert.Equal([true, false], findings.Where(f => f.Rule == "drop-column").Select(f => f.Suppressed));
    }

    [Fact]
    public void Suppression_without_reason_is_itself_a_finding_and_suppresses_nothing()
    {
        var findings = Lint("SET lock_timeout = '5s';\n-- safety: ignore drop-column\nALTER TABLE a DROP COLUMN x;");
        Assert.False(Assert.Single(findings, f => f.Rule == "drop-column").Suppressed);
        var invalid = Assert.Single(findings, f => f.Rule == "invalid-suppression");
        Assert.Equal(2, invalid.Line);
        Assert.Contains("no reason", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suppression_naming_an_unknown_rule_is_a_finding()
    {
        var findings = Lint("-- safety: ignore drop-colum reason: typo\nCREATE TABLE a (id int);");
        Assert.Contains("drop-colum", Assert.Single(findings, f => f.Rule == "invalid-suppression").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_wide_suppression_covers_every_statement_of_that_script()
    {
        var findings = Lint("/* safety: ignore-file drop-column reason: cleanup migration */\nSET lock_timeout = '5s';\nALTER TABLE a DROP COLUMN x;\nALTER TABLE b DROP COLUMN y;");
        Assert.All(findings.Where(f => f.Rule == "drop-column"), f => Assert.True(f.Suppressed));
        Assert.Equal(2, findings.Count(f => f.Rule == "drop-column"));
    }

    [Fact]
    public void Suppression_with_nothing_after_it_is_a_finding()
    {
        var findings = Lint("CREATE TABLE a (id int);\n-- safety: ignore drop-table reason: later");
        Assert.Contains("no statement after it", Assert.Single(findings, f => f.Rule == "invalid-suppression").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suppression_in_a_string_is_not_a_suppression()
    {
        var findings = Lint("SET lock_timeout = '5s';\nINSERT INTO n VALUES ('-- safety: ignore drop-column reason: x');\nALTER TABLE a DROP COLUMN x;");
        Assert.False(Assert.Single(findings, f => f.Rule == "drop-column").Suppressed);
    }

    [Fact]
    public void Disabled_rules_do_not_run()
    {
        var findings = SafetyAnalyzer.Analyze([SafetyMigration.FromScripts("1", "ALTER TABLE a DROP COLUMN x;")],
            new SafetyOptions { DisabledRules = new HashSet<string> { "drop-column", "missing-lock-timeout" } });
        Assert.DoesNotContain(findings, f => f.Rule is "drop-column" or "missing-lock-timeout");
    }

    [Fact]
    public void A_migrator_that_sets_lock_timeout_satisfies_missing_lock_timeout_until_a_script_resets_it()
    {
        var options = new SafetyOptions { MigratorSetsLockTimeout = true };
        Assert.Empty(SafetyAnalyzer.Analyze([SafetyMigration.FromScripts("1", "ALTER TABLE a ADD COLUMN x int;", "SELECT 1;")], options));
        var reset = SafetyAnalyzer.Analyze([SafetyMigration.FromScripts("1", "SET lock_timeout = 0;\nALTER TABLE a ADD COLUMN x int;", "SELECT 1;")], options);
        Assert.Equal("missing-lock-timeout", Assert.Single(reset).Rule);
    }

    [Fact]
    public void Minimum_severity_drops_lower_findings()
    {
        var findings = SafetyAnalyzer.Analyze([SafetyMigration.FromScripts("1", "CREATE TABLE a (id int);")], new SafetyOptions { MinimumSeverity = SafetySeverity.Warning });
        Assert.Empty(findings);
    }
}

public class FindingModelTests
{
    [Fact]
    public void Finding_carries_version_script_file_line_statement_and_remedy()
    {
        var migration = new SafetyMigration { Version = "1.2.0", Name = "drop fee", UpPath = "m/1.2.0_drop_fee.up.sql", UpSql = "\n\nALTER TABLE trades DROP COLUMN fee;", DownSql = "ALTER TABLE trades ADD COLUMN fee numeric;" };
        var f = Assert.Single(SafetyAnalyzer.Analyze(migration), x => x.Rule == "drop-column");
        Assert.Equal("1.2.0", f.Version);
        Assert.Equal(MigrationScript.Up, f.Script);
        Assert.Equal("m/1.2.0_drop_fee.up.sql", f.File);
        Assert.Equal(3, f.Line);
        Assert.Equal("ALTER TABLE trades DROP COLUMN fee", f.Statement);
        Assert.Equal(SafetySeverity.Error, f.Severity);
        Assert.False(string.IsNullOrWhiteSpace(f.Remedy));
        Assert.Contains("trades.fee", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_down_is_reported_once_per_migration_without_a_down()
    {
        var findings = SafetyAnalyzer.Analyze([SafetyMigration.FromScripts("1", "CREATE TABLE a (id int);"), SafetyMigration.FromScripts("2", "CREATE TABLE b (id int);", "DROP TABLE b;")]);
        var missing = Assert.Single(findings, f => f.Rule == "missing-down");
        Assert.Equal("1", missing.Version);
        Assert.Null(missing.Line);
    }

    [Fact]
    public void Transaction_directive_is_read_from_the_leading_comment_lines()
    {
        Assert.False(ScriptDirectives.ParseOrDefault("-- create the index\n-- transaction: none\nCREATE INDEX CONCURRENTLY i ON t (a);").RunsInTransaction);
        Assert.False(ScriptDirectives.ParseOrDefault("\n--Transaction: NONE\nSELECT 1;").RunsInTransaction);
        Assert.True(ScriptDirectives.ParseOrDefault("SELECT 1;\n-- transaction: none").RunsInTransaction);
        Assert.True(ScriptDirectives.ParseOrDefault("-- transaction: required\nSELECT 1;").RunsInTransaction);
        Assert.False(ScriptDirectives.ParseOrDefault("-- transaction: off\nSELECT 1;").RunsInTransaction);
    }

    [Fact]
    public void Every_rule_has_an_id_description_remedy_and_unique_id()
    {
        Assert.True(SafetyRules.All.Count >= 41);
        Assert.Equal(SafetyRules.All.Count, SafetyRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(SafetyRules.All, r =>
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Description));
            Assert.False(string.IsNullOrWhiteSpace(r.Remedy));
            Assert.NotEqual(RuleDialects.None, r.Dialects);
        });
    }

    [Theory]
    [InlineData("drop-table")]
    [InlineData("drop-column")]
    [InlineData("delete-without-where")]
    [InlineData("update-without-where")]
    [InlineData("sqlite-alter-table-limit")]
    [InlineData("rename-column")]
    [InlineData("rename-table")]
    public void Rules_marked_both_apply_to_sqlite(string id) =>
        Assert.True(SafetyRules.Find(id)!.Dialects.HasFlag(RuleDialects.Sqlite));

    [Fact]
    public void Earlier_migrations_inform_later_ones_but_only_reported_versions_are_returned()
    {
        var findings = SafetyAnalyzer.Analyze(
            [SafetyMigration.FromScripts("1", "DROP TABLE x;"), SafetyMigration.FromScripts("2", "SET lock_timeout = '1s';\nALTER TABLE u ALTER COLUMN n TYPE text;", "SELECT 1;")],
            new SafetyOptions { ReportVersions = new HashSet<string> { "2" } });
        Assert.All(findings, f => Assert.Equal("2", f.Version));
    }
}

public class RollbackSafetyTests
{
    [Fact]
    public void Down_that_drops_what_the_up_created_is_lossy_with_every_value_written_since()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "CREATE TABLE fills (id int);\nALTER TABLE trades ADD COLUMN venue text;", "ALTER TABLE trades DROP COLUMN venue;\nDROP TABLE fills;"));
        Assert.Equal(RollbackKind.Lossy, c.Kind);
        Assert.Equal(["column trades.venue, which the up added, with every value written to it since", "table fills, which the up created, with every row written to it since"], c.Losses);
        Assert.All(c.Findings, f => Assert.Equal(("down-drops-new-data", SafetySeverity.Info, MigrationScript.Down), (f.Rule, f.Severity, f.Script)));
        Assert.Equal([1, 2], c.Findings.Select(f => f.Line));
    }

    [Fact]
    public void Down_that_drops_only_an_index_a_view_and_seeded_rows_of_its_up_is_lossless()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1",
            "CREATE INDEX trades_venue ON trades (venue);\nCREATE VIEW open_trades AS SELECT * FROM trades;\nINSERT INTO venues (code) VALUES ('XNAS');",
            "DELETE FROM venues WHERE code = 'XNAS';\nDROP VIEW open_trades;\nDROP INDEX trades_venue;"));
        Assert.Equal(RollbackKind.Lossless, c.Kind);
        Assert.Empty(c.Losses);
        Assert.Empty(c.Findings);
    }

    [Fact]
    public void Down_dropping_a_table_the_up_did_not_create_is_lossy_and_names_it()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "ALTER TABLE trades ADD COLUMN venue text;", "ALTER TABLE trades DROP COLUMN venue, DROP COLUMN fee;\nDROP TABLE accounts;"));
        Assert.Equal(RollbackKind.Lossy, c.Kind);
        Assert.Equal(["column trades.fee", "column trades.venue, which the up added, with every value written to it since", "table accounts (all rows)"], c.Losses);
        Assert.Equal(["down-drops-data", "down-drops-new-data", "down-drops-data"], c.Findings.Select(f => f.Rule));
        Assert.All(c.Findings, f => Assert.Equal(MigrationScript.Down, f.Script));
    }

    [Fact]
    public void Down_narrowing_a_type_the_up_widened_is_lossy()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "ALTER TABLE t ALTER COLUMN n TYPE bigint;", "ALTER TABLE t ALTER COLUMN n TYPE int;"));
        Assert.Equal(RollbackKind.Lossy, c.Kind);
        Assert.Contains("narrowed from bigint to int", Assert.Single(c.Losses), StringComparison.Ordinal);
    }

    [Fact]
    public void Down_narrowing_a_known_varchar_is_lossy_and_widening_back_is_not()
    {
        var history = SafetyMigration.FromScripts("1", "CREATE TABLE u (name varchar(100));", "DROP TABLE u;");
        var widen = SafetyMigration.FromScripts("2", "ALTER TABLE u ALTER COLUMN name TYPE varchar(50);", "ALTER TABLE u ALTER COLUMN name TYPE varchar(100);");
        var result = RollbackSafety.Classify([history, widen], new HashSet<string> { "2" });
        Assert.Equal(RollbackKind.Lossless, Assert.Single(result).Kind);
    }

    [Fact]
    public void Missing_down_is_irreversible_and_names_what_the_up_destroyed()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "ALTER TABLE trades DROP COLUMN fee;\nDELETE FROM sessions WHERE old;"));
        Assert.Equal(RollbackKind.Irreversible, c.Kind);
        Assert.Equal(["column trades.fee", "the rows of sessions matching the WHERE"], c.Losses);
        Assert.Contains(c.Findings, f => f.Rule == "missing-down");
        Assert.Contains(c.Findings, f => f.Rule == "irreversible-without-down");
    }

    [Fact]
    public void Empty_down_of_an_additive_up_is_lossless_but_of_a_destructive_up_is_irreversible()
    {
        Assert.Equal(RollbackKind.Lossless, RollbackSafety.Classify(SafetyMigration.FromScripts("1", "CREATE INDEX i ON t (a);", "-- nothing to undo")).Kind);
        Assert.Equal(RollbackKind.Irreversible, RollbackSafety.Classify(SafetyMigration.FromScripts("1", "DROP TABLE t;", "-- nothing to undo")).Kind);
    }

    [Fact]
    public void Down_deleting_rows_the_up_seeded_is_lossless_but_other_rows_are_lossy()
    {
        Assert.Equal(RollbackKind.Lossless, RollbackSafety.Classify(SafetyMigration.FromScripts("1", "INSERT INTO ccy VALUES ('EUR');", "DELETE FROM ccy WHERE code = 'EUR';")).Kind);
        Assert.Equal(RollbackKind.Lossy, RollbackSafety.Classify(SafetyMigration.FromScripts("1", "CREATE TABLE x (id int);", "DELETE FROM ccy WHERE code = 'EUR';\nDROP TABLE x;")).Kind);
    }

    [Fact]
    public void Sqlite_rebuild_in_the_down_is_lossless()
    {
        const string down = "CREATE TABLE t_new (id INTEGER);\nINSERT INTO t_new (id) SELECT id FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;";
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "ALTER TABLE t ADD COLUMN note TEXT;", down, SqlDialect.Sqlite));
        Assert.Equal(RollbackKind.Lossless, c.Kind);
    }

    [Fact]
    public void Suppressed_down_findings_stay_in_the_classification_marked_suppressed()
    {
        var c = RollbackSafety.Classify(SafetyMigration.FromScripts("1", "CREATE TABLE x (id int);", "-- safety: ignore down-drops-data reason: legacy table, archived\nDROP TABLE legacy;\nDROP TABLE x;"));
        Assert.Equal(RollbackKind.Lossy, c.Kind);
        Assert.True(Assert.Single(c.Findings, f => f.Rule == "down-drops-data").Suppressed);
    }
}

public class SafetyReportTests
{
    private static readonly SafetyFinding Error = new()
    {
        Rule = "drop-column", Severity = SafetySeverity.Error, Version = "1.0.1", MigrationName = "drop fee", Script = MigrationScript.Up,
        File = "1.0.1.up.sql", Line = 3, Statement = "ALTER TABLE t DROP COLUMN <fee>", Message = "drops column t.fee & data", Remedy = "stop using it first",
    };

    private static readonly SafetyFinding Warning = Error with { Rule = "missing-lock-timeout", Severity = SafetySeverity.Warning, Message = "no lock_timeout" };

    private static readonly SafetyFinding Suppressed = Error with { Rule = "drop-table", Suppressed = true, SuppressionReason = "archived" };

    [Fact]
    public void Junit_has_a_testcase_per_migration_and_rule_and_fails_unsuppressed_errors()
    {
        var xml = XDocument.Parse(SafetyReport.ToJUnitXml([Error, Warning, Suppressed], ["1.0.0", "1.0.1"]));
        var suites = xml.Root!.Elements("testsuite").ToList();
        Assert.Equal(2, suites.Count);
        Assert.Equal("safety", suites[0].Element("testcase")!.Attribute("name")!.Value);
        Assert.Null(suites[0].Element("testcase")!.Element("failure"));
        var cases = suites[1].Elements("testcase").ToDictionary(e => e.Attribute("name")!.Value);
        Assert.NotNull(cases["drop-column"].Element("failure"));
        Assert.Null(cases["missing-lock-timeout"].Element("failure"));
        Assert.NotNull(cases["missing-lock-timeout"].Element("system-out"));
        Assert.NotNull(cases["drop-table"].Element("skipped"));
        Assert.Equal("1", xml.Root.Attribute("failures")!.Value);
    }

    [Fact]
    public void Junit_declares_utf8_and_escapes_markup_in_statements()
    {
        var text = SafetyReport.ToJUnitXml([Error]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;fee&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Junit_fails_warnings_when_asked()
    {
        var xml = XDocument.Parse(SafetyReport.ToJUnitXml([Error, Warning], failOn: SafetySeverity.Warning));
        Assert.Equal("2", xml.Root!.Attribute("failures")!.Value);
    }

    [Fact]
    public void Json_writes_enums_as_names_and_a_summary()
    {
        var json = SafetyReport.ToJson([Error, Warning, Suppressed]);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("suppressed").GetInt32());
        var first = root.GetProperty("findings")[0];
        Assert.Equal("Error", first.GetProperty("severity").GetString());
        Assert.Equal("Up", first.GetProperty("script").GetString());
        Assert.Equal(3, first.GetProperty("line").GetInt32());
        Assert.Equal("drop-column", first.GetProperty("rule").GetString());
    }
}
