using System.Diagnostics;
using System.Text;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>Random and mutated SQL never throws and never hangs; seeds are fixed so failures reproduce.</summary>
public class SafetyFuzzTests
{
    private static readonly string[] Fragments =
    [
        "ALTER", "TABLE", "DROP", "COLUMN", "ADD", "CONSTRAINT", "CREATE", "INDEX", "CONCURRENTLY", "ON", "BEGIN", "ATOMIC", "END",
        "CASE", "WHEN", "THEN", "TRIGGER", "COMMIT", "ROLLBACK", "SET", "lock_timeout", "=", "'5s'", "NOT", "NULL", "DEFAULT", "VALID",
        "VALIDATE", "RENAME", "TO", "TYPE", "USING", "INDEX", "PRIMARY", "KEY", "UNIQUE", "REFERENCES", "CHECK", "FOREIGN", "DELETE",
        "FROM", "WHERE", "UPDATE", "TRUNCATE", "CASCADE", "WITH", "AS", "SELECT", "INTO", "IF", "EXISTS", "GENERATED", "ALWAYS", "STORED",
        "IDENTITY", "t", "\"q;t\"", "[b;r]", "`bt`", "x.y", "(", ")", "(", ")", ",", ";", ";", "'", "\"", "$$", "$tag$", "$1", "E'\\''",
        "'a\\'", "/*", "*/", "--", "\n", " ", "\t", "*", ".", "::", "-- safety: ignore drop-table reason: x\n", "-- safety: ignore\n",
        "-- transaction: none\n", "DETACH", "PARTITION", "REINDEX", "VACUUM", "FULL", "LOCK", "DOMAIN", "SCHEMA", "DATABASE", "VALUE",
        "1", "0", "numeric(10,2)", "varchar(5)", "U&\"x\"", "gen_random_uuid()", "set_config", "RESET", "ALL", "START", "TRANSACTION",
    ];

    private static readonly string[] Seeds = SafetyCorpus.Cases.Select(c => c.Up).Concat(SafetyCorpus.Cases.Select(c => c.Down ?? string.Empty)).ToArray();

    [Fact]
    public void Random_token_soup_never_throws_in_either_dialect()
    {
        var random = new Random(20261124);
        for (var n = 0; n < 1500; n++)
        {
            var sb = new StringBuilder();
            var count = random.Next(1, 60);
            for (var k = 0; k < count; k++)
            {
                sb.Append(Fragments[random.Next(Fragments.Length)]).Append(random.Next(4) == 0 ? string.Empty : " ");
            }

            LintBothWays(sb.ToString(), n);
        }
    }

    [Fact]
    public void Mutated_corpus_scripts_never_throw()
    {
        var random = new Random(424242);
        for (var n = 0; n < 2000; n++)
        {
            var chars = Seeds[random.Next(Seeds.Length)].ToCharArray().ToList();
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits && chars.Count > 0; e++)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(4))
                {
                    case 0:
                        chars.RemoveAt(at);
                        break;
                    case 1:
                        chars.Insert(at, "';\"$()[]`/*-\\\n"[random.Next(14)]);
                        break;
                    case 2:
                        chars.RemoveRange(at, Math.Min(chars.Count - at, random.Next(1, 12)));
                        break;
                    default:
                        chars.InsertRange(at, Fragments[random.Next(Fragments.Length)] + " ");
                        break;
                }
            }

            LintBothWays(new string([.. chars]), n);
        }
    }

    [Fact]
    public void Random_bytes_as_text_never_throw()
    {
        var random = new Random(7);
        for (var n = 0; n < 500; n++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var k = 0; k < chars.Length; k++)
            {
                chars[k] = (char)random.Next(0, 0x3000);
            }

            LintBothWays(new string(chars), n);
        }
    }

    [Fact]
    public void Lexer_tokens_cover_the_whole_input_without_gaps()
    {
        var random = new Random(99);
        foreach (var seed in Seeds.Take(200))
        {
            var text = seed + Fragments[random.Next(Fragments.Length)];
            foreach (var dialect in new[] { SqlDialect.PostgreSql, SqlDialect.Sqlite })
            {
                var tokens = SqlLexer.Tokenize(text, dialect).Tokens;
                var at = 0;
                foreach (var t in tokens)
                {
                    Assert.Equal(at, t.Start);
                    Assert.True(t.Length > 0);
                    at += t.Length;
                }

                Assert.Equal(text.Length, at);
            }
        }
    }

    [Fact]
    public void Pathological_inputs_are_linted_without_crashing()
    {
        string[] inputs =
        [
            new string('(', 20000), new string(')', 20000), string.Concat(Enumerable.Repeat("$a$", 5000)), string.Concat(Enumerable.Repeat("/*", 10000)),
            string.Concat(Enumerable.Repeat("BEGIN ATOMIC CASE ", 3000)), string.Concat(Enumerable.Repeat("ALTER TABLE t ADD COLUMN c int, ", 3000)),
            string.Concat(Enumerable.Repeat("CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;\n", 1500)), new string('\'', 30001),
        ];
        // No wall-clock bound here (tests never time things): a hang shows as the CI test timeout; speed is bench/'s job.
        foreach (var input in inputs)
        {
            LintBothWays(input, 0);
        }
    }

    private static void LintBothWays(string sql, int iteration)
    {
        foreach (var dialect in new[] { SqlDialect.PostgreSql, SqlDialect.Sqlite })
        {
            try
            {
                var migration = SafetyMigration.FromScripts("1", sql, sql, dialect);
                var findings = SafetyAnalyzer.Analyze(migration);
                if (findings.FirstOrDefault(f => f.Rule == "analysis-error") is { } error)
                {
                    Assert.Fail($"iteration {iteration}, {dialect}: {error.Message}\n--- input ---\n{sql}");
                }

                _ = RollbackSafety.Classify(migration);
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {iteration}, {dialect}: {ex.GetType().Name}: {ex.Message}\n--- input ---\n{sql}\n--- stack ---\n{ex.StackTrace}");
            }
        }
    }
}
