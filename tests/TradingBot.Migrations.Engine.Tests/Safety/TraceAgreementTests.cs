using System.Globalization;
using System.Text;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// The Safety README publishes, per lock rule, how often its claim agreed with the locks PostgreSQL took: every PostgreSQL
/// corpus case whose findings claim a lock or a rewrite is traced (rolled back) on a fixture schema, and each such finding
/// counted Confirmed, Refuted, or not traced (the case needs an object the fixture lacks, earlier migrations, or runs
/// without a transaction). This computes the table and holds the README to it.
/// </summary>
public sealed class TraceAgreementTests
{
    private const string Start = "<!-- trace-agreement:start -->";
    private const string End = "<!-- trace-agreement:end -->";

    // The tables and columns the corpus's lock cases name, with a few rows each so scans and rewrites have work to do.
    private const string Fixture = """
        CREATE TABLE accounts (id bigint PRIMARY KEY, name text);
        CREATE TABLE users (id int PRIMARY KEY, name varchar(200), qty int, email text);
        CREATE TYPE trade_side AS ENUM ('buy', 'sell');
        CREATE DOMAIN positive_qty AS integer;
        CREATE TABLE trades (id bigint PRIMARY KEY, account_id bigint, user_id int, symbol text, venue text, fee numeric,
            price numeric(18, 6), qty integer, amount numeric, note varchar(100), status text, side trade_side, ref text,
            created_at timestamp, updated_at timestamptz, external_id text, price_cents integer, quantity positive_qty);
        CREATE TABLE fills (id bigint PRIMARY KEY, trade_id bigint, qty integer, price numeric, venue text, filled_at timestamptz);
        CREATE TABLE ticks (id bigint, symbol text, price numeric, at timestamptz);
        CREATE TABLE limits (id bigint PRIMARY KEY, account_id bigint, max_qty integer);
        CREATE TABLE t (id int PRIMARY KEY, a int, b text);
        CREATE INDEX trades_symbol_idx ON trades (symbol);
        INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 100) g;
        INSERT INTO trades (id, account_id, symbol, venue, fee, price, qty, note, created_at)
            SELECT g, g % 100 + 1, 'S' || (g % 10), 'X', 0, 1, 1, 'n', now() FROM generate_series(1, 1000) g;
        INSERT INTO fills SELECT g, g, 1, 1, 'X', now() FROM generate_series(1, 1000) g;
        """;

    [Fact]
    public void The_readme_table_of_trace_agreement_is_the_one_the_corpus_gives()
    {
        var readme = File.ReadAllText(Path.Combine(SafetyPrecisionRecallTests.Root(), "src", "TradingBot.Migrations.Engine", "Safety", "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"the Safety README has no {Start} ... {End} section");

        var computed = Table();

        Assert.True(readme[(from + Start.Length)..to].Trim('\n') == computed, "The Safety README's trace agreement differs from the corpus; replace the section with:\n" + computed);
    }

    internal static string Table()
    {
        var counts = new SortedDictionary<string, (int Confirmed, int Refuted, int NotTraced)>(StringComparer.Ordinal);
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Execute(Fixture);
        using var tracer = PostgresLockTracer.Open(database.Target, CancellationToken.None);
        foreach (var c in SafetyCorpus.Cases.Where(c => c.Dialect == SqlDialect.PostgreSql))
        {
            var claims = SafetyCorpusTests.Run(c).Where(f => !f.Suppressed && f.Script == MigrationScript.Up && Claims(f.Rule)).ToList();
            if (claims.Count == 0)
            {
                continue;
            }

            foreach (var finding in Checked(c, claims, tracer))
            {
                var now = counts.GetValueOrDefault(finding.Rule);
                counts[finding.Rule] = finding.Trace switch
                {
                    TraceVerdict.Confirmed => now with { Confirmed = now.Confirmed + 1 },
                    TraceVerdict.Refuted => now with { Refuted = now.Refuted + 1 },
                    _ => now with { NotTraced = now.NotTraced + 1 },
                };
            }
        }

        var text = new StringBuilder("| rule | findings traced | confirmed | refuted | agreement | not traced |\n|---|---|---|---|---|---|\n");
        foreach (var (rule, n) in counts)
        {
            text.Append(Row($"`{rule}`", n));
        }

        text.Append(Row("**all lock rules**", counts.Values.Aggregate((0, 0, 0), (a, b) => (a.Item1 + b.Confirmed, a.Item2 + b.Refuted, a.Item3 + b.NotTraced))));
        return text.ToString().TrimEnd('\n');
    }

    // The case's findings with the trace's verdicts; unchecked (Trace null) when the case cannot run on the fixture.
    private static IReadOnlyList<SafetyFinding> Checked(CorpusCase c, IReadOnlyList<SafetyFinding> claims, PostgresLockTracer tracer)
    {
        var migration = SafetyMigration.FromScripts("1.0.0", c.Up, c.Down, c.Dialect, c.Name);
        if (c.Prior is { Length: > 0 } || !migration.UpRunsInTransaction)
        {
            return claims;
        }

        try
        {
            var traces = tracer.Trace(new Databases.TraceScript("1.0.0", c.Name, null, SqlStatementSplitter.Split(c.Up, SqlDialect.PostgreSql), InTransaction: true), CancellationToken.None);
            return TraceVerdicts.Apply(claims, StatementImpacts.For([migration], null), traces, _ => null).Where(f => Claims(f.Rule)).ToList();
        }
        catch (MigrationException e) when (e.Error == MigrationErrors.TraceFailed)
        {
            return claims;
        }
    }

    private static bool Claims(string rule) => rule == "lock-impact" || SafetyRules.Find(rule)?.Claims is LockClaim.Locks or LockClaim.Rewrites;

    private static string Row(string rule, (int Confirmed, int Refuted, int NotTraced) n)
    {
        var traced = n.Confirmed + n.Refuted;
        var agreement = traced == 0 ? "n/a" : (100.0 * n.Confirmed / traced).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        return $"| {rule} | {traced} | {n.Confirmed} | {n.Refuted} | {agreement} | {n.NotTraced} |\n";
    }
}
