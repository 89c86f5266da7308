using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Tests.Execution;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>-RollbackTo reads what Undo-Migration would run on the same database: applied migrations only, PowerShell ones included.</summary>
public sealed class RollbackCheckTests : EngineTestBase
{
    private const string DropsFee = "@{\n  Up = {\n    param($Migration)\n    $Migration.Execute('ALTER TABLE trades ADD COLUMN note text')\n  }\n  Down = {\n    param($Migration)\n    $Migration.Execute('ALTER TABLE trades DROP COLUMN note')\n    $Migration.Execute('ALTER TABLE trades DROP COLUMN fee')\n  }\n}\n";

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_rollback_check_lists_only_the_applied_migrations_Undo_would_run(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1.0.0", "trades").Table("1.0.1", "orders").Sql("1.0.2", "drop_trades", "CREATE TABLE fills (id integer);\n", "DROP TABLE fills;\nDROP TABLE trades;\n");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1.0.1")));

        var result = Check(db.Settings(Folder), "1.0.0");

        Assert.Equal(["1.0.1"], result.Rollback!.Select(a => a.Version));
        Assert.Equal(["down-drops-new-data"], result.Findings.Select(f => f.Rule));
    }

    [Fact]
    public void A_rollback_check_without_a_database_is_refused_rather_than_guessed_from_the_files()
    {
        Folder.Table("1.0.0", "trades").Table("1.0.1", "orders");

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.CheckSafety(
            SafetyCheckRequest.OfFiles(Folder.Path, null, SqlDialect.Sqlite) with { RollbackTo = "1.0.0" }, CancellationToken.None));

        Assert.Equal("RollbackCheckWithoutDatabase", error.ErrorId);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_down_that_drops_a_column_its_up_did_not_add_is_named_at_its_line(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1.0.0", "trades", "CREATE TABLE trades (id integer PRIMARY KEY, fee numeric);\n", "DROP TABLE trades;\n").File("1.0.1__note.ps1", DropsFee);
        Apply(db);

        var result = Check(db.Settings(Folder) with { PowerShellInspector = new ConstantSqlInspector() }, "1.0.0");

        var assessment = Assert.Single(result.Rollback!);
        Assert.Equal(RollbackKind.Lossy, assessment.Kind);
        Assert.Equal(["column trades.note, which the up added, with every value written to it since", "column trades.fee"], assessment.Losses);
        Assert.Equal([("down-drops-new-data", 8), ("down-drops-data", 9)], assessment.Findings.Select(f => (f.Rule, f.Line ?? 0)));
        var finding = assessment.Findings[1];
        Assert.EndsWith("1.0.1__note.ps1", finding.File, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_PowerShell_down_that_drops_no_data_is_lossless(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Sql("1.0.0", "trades", "CREATE TABLE trades (id integer PRIMARY KEY, fee numeric);\n", "DROP TABLE trades;\n")
            .File("1.0.1__note.ps1", DropsFee
                .Replace("    $Migration.Execute('ALTER TABLE trades DROP COLUMN fee')\n", string.Empty, StringComparison.Ordinal)
                .Replace("ALTER TABLE trades DROP COLUMN note", "DROP INDEX IF EXISTS trades_note", StringComparison.Ordinal));
        Apply(db);

        var result = Check(db.Settings(Folder) with { PowerShellInspector = new ConstantSqlInspector() }, "1.0.0");

        Assert.Equal(RollbackKind.Lossless, Assert.Single(result.Rollback!).Kind);
    }

    [Fact]
    public void A_PowerShell_down_that_builds_its_SQL_when_it_runs_is_unknown_not_lossless()
    {
        var db = Database(SqlDialect.Sqlite);
        Folder.Table("1.0.0", "trades").File("1.0.1__note.ps1", "@{\n  Up = { param($Migration) }\n  Down = {\n    param($Migration)\n    $Migration.Execute(\"ALTER TABLE trades DROP COLUMN $column\")\n  }\n}\n");
        Apply(db);

        var withParser = Assert.Single(Check(db.Settings(Folder) with { PowerShellInspector = new ConstantSqlInspector() }, "1.0.0").Rollback!);
        var withoutParser = Assert.Single(Check(db.Settings(Folder), "1.0.0").Rollback!);

        Assert.Equal(RollbackKind.Unknown, withParser.Kind);
        Assert.Equal(("unreadable-down", 5), (withParser.Findings.Single().Rule, withParser.Findings.Single().Line));
        Assert.Equal(RollbackKind.Unknown, withoutParser.Kind);
        Assert.Equal(("unreadable-down", (int?)null), (withoutParser.Findings.Single().Rule, withoutParser.Findings.Single().Line));
    }

    private static SafetyCheckResult Check(EngineSettings settings, string rollbackTo) =>
        MigrationUseCases.CheckSafety(SafetyCheckRequest.OfDatabase(settings) with { RollbackTo = rollbackTo }, CancellationToken.None);

    private void Apply(TestDatabase db) =>
        db.Migrate(Folder, configure: s => s with { PowerShellRunner = new AddsNote() });

    private sealed class AddsNote : IPowerShellMigrationRunner
    {
        public void Run(PlannedStep step, MigrationContext context) => context.Execute("ALTER TABLE trades ADD COLUMN note text");
    }

    /// <summary>
    /// Stands in for the module's PowerShell parser (tested in Pester): each line with $Migration.Execute('...') is a constant
    /// call, one with $Migration.Execute("...$...") an unreadable one.
    /// </summary>
    private sealed class ConstantSqlInspector : IPowerShellScriptInspector
    {
        public IReadOnlyCollection<string> DefinedBlocks(ScriptFile script) => ["Up", "Down"];

        public PowerShellBlockSql? ReadBlockSql(ScriptFile script, string block)
        {
            var lines = script.Text.Split('\n');
            var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith(block + " =", StringComparison.Ordinal));
            var calls = new List<PowerShellSqlCall>();
            var unreadable = new List<int>();
            for (var i = start; i < lines.Length && (i == start || !lines[i].TrimStart().StartsWith("Down =", StringComparison.Ordinal)); i++)
            {
                var at = lines[i].IndexOf("$Migration.Execute(", StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                var argument = lines[i][(at + "$Migration.Execute(".Length)..].TrimEnd(')', ' ');
                if (argument.StartsWith('\''))
                {
                    calls.Add(new PowerShellSqlCall(argument.Trim('\''), i + 1));
                }
                else
                {
                    unreadable.Add(i + 1);
                }
            }

            return new PowerShellBlockSql(calls, unreadable);
        }
    }
}
