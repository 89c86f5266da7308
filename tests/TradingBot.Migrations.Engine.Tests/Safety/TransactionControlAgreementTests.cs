using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// The linter reports at Error exactly the statements Invoke-Migration refuses in a transactional script
/// (TransactionControlInMigration), and only in a transactional script. One list of statements, asked of both.
/// </summary>
public class TransactionControlAgreementTests
{
    private const string Rule = "transaction-control-in-migration";

    // Dialect-neutral on purpose: no dollar quotes or trigger bodies, which the two dialects split differently.
    public static TheoryData<string, bool> Statements => new()
    {
        { "COMMIT", true },
        { "commit work", true },
        { "COMMIT TRANSACTION", true },
        { "COMMIT AND CHAIN", true },
        { "END", true },
        { "END TRANSACTION", true },
        { "end work", true },
        { "ROLLBACK", true },
        { "ROLLBACK TRANSACTION", true },
        { "rollback work", true },
        { "ROLLBACK AND NO CHAIN", true },
        { "ABORT", true },
        { "PREPARE TRANSACTION 'x'", true },
        { "prepare transaction 'x'", true },
        { "ROLLBACK TO SAVEPOINT x", false },
        { "ROLLBACK TO x", false },
        { "ROLLBACK WORK TO SAVEPOINT x", false },
        { "ROLLBACK TRANSACTION TO SAVEPOINT x", false },
        { "COMMIT PREPARED 'x'", false },
        { "ROLLBACK PREPARED 'x'", false },
        { "PREPARE q AS SELECT 1", false },
        { "PREPARE q (int) AS SELECT $1", false },
        { "BEGIN", false },
        { "START TRANSACTION", false },
        { "SAVEPOINT x", false },
        { "RELEASE SAVEPOINT x", false },
        { "RELEASE x", false },
        { "SELECT 'COMMIT'", false },
        { "INSERT INTO audit_log (note) VALUES ('ROLLBACK')", false },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void The_linter_reports_at_Error_what_the_migrator_refuses_in_a_transactional_script(string statement, bool endsTheTransaction)
    {
        foreach (var dialect in new[] { SqlDialect.PostgreSql, SqlDialect.Sqlite })
        {
            var script = $"CREATE TABLE a (id integer);\n{statement};\n";

            var refused = TransactionStatements.FirstThatEndsTheTransaction(SqlStatementSplitter.Split(script, dialect));
            var reported = Lint(script, dialect).Where(f => f.Rule == Rule).ToList();

            Assert.True(endsTheTransaction == refused is not null, $"{dialect}: the migrator {(refused is null ? "accepts" : "refuses")} {statement}");
            Assert.True(endsTheTransaction == reported.Count > 0, $"{dialect}: the linter {(reported.Count == 0 ? "does not report" : "reports")} {statement}");
            if (refused is not null)
            {
                var finding = Assert.Single(reported);
                Assert.Equal(SafetySeverity.Error, finding.Severity);
                Assert.Equal(refused.Line, finding.Line);
                Assert.Equal(refused.Text, finding.Statement);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void In_a_script_marked_transaction_none_the_same_statements_are_only_a_Warning(string statement, bool endsTheTransaction)
    {
        foreach (var dialect in new[] { SqlDialect.PostgreSql, SqlDialect.Sqlite })
        {
            var findings = Lint($"-- transaction: none\nCREATE TABLE IF NOT EXISTS a (id integer);\n{statement};\n", dialect);

            Assert.DoesNotContain(findings, f => f.Rule == Rule);
            var withoutBegin = findings.Where(f => f.Rule == "transaction-nesting").ToList();
            Assert.True(endsTheTransaction == withoutBegin.Count > 0, $"{dialect}: {statement} without a BEGIN");
            Assert.All(withoutBegin, f => Assert.Equal(SafetySeverity.Warning, f.Severity));
        }
    }

    [Fact]
    public void What_the_migrator_refuses_is_an_Error_and_nested_BEGIN_stays_a_Warning()
    {
        Assert.Equal(SafetySeverity.Error, SafetyRules.Find(Rule)!.Severity);
        Assert.Equal(SafetySeverity.Warning, SafetyRules.Find("transaction-nesting")!.Severity);

        var findings = Lint("BEGIN;\nCREATE TABLE a (id integer);\nCOMMIT;\n", SqlDialect.PostgreSql);

        var begin = Assert.Single(findings, f => f.Rule == "transaction-nesting");
        Assert.Equal((1, SafetySeverity.Warning), (begin.Line, begin.Severity));
        var commit = Assert.Single(findings, f => f.Rule == Rule);
        Assert.Equal((3, SafetySeverity.Error), (commit.Line, commit.Severity));
    }

    [Fact]
    public void The_finding_says_what_to_change()
    {
        var finding = Assert.Single(Lint("CREATE TABLE a (id integer);\nPREPARE TRANSACTION 'a';\n", SqlDialect.PostgreSql), f => f.Rule == Rule);

        Assert.StartsWith("PREPARE TRANSACTION would end the transaction", finding.Message, StringComparison.Ordinal);
        Assert.Contains("TransactionControlInMigration", finding.Message, StringComparison.Ordinal);
        Assert.Contains("remove it, or mark the script -- transaction: none", finding.Message, StringComparison.Ordinal);
        Assert.Contains("-- transaction: none", finding.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_down_that_ends_its_transaction_is_reported_like_an_up()
    {
        var findings = SafetyAnalyzer.Analyze(SafetyMigration.FromScripts("1.0.0", "CREATE TABLE a (id integer);", "DROP TABLE a;\nROLLBACK;"));

        var finding = Assert.Single(findings, f => f.Rule == Rule);
        Assert.Equal((MigrationScript.Down, 2, SafetySeverity.Error), (finding.Script, finding.Line, finding.Severity));
    }

    private static IReadOnlyList<SafetyFinding> Lint(string up, SqlDialect dialect) =>
        SafetyAnalyzer.Analyze(SafetyMigration.FromScripts("1.0.0", up, "SELECT 1;", dialect));
}
