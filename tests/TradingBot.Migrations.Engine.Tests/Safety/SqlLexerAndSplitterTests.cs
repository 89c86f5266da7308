using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

public class SqlLexerAndSplitterTests
{
    private static List<string> Split(string sql, SqlDialect dialect = SqlDialect.PostgreSql) =>
        SqlStatementSplitter.Split(sql, dialect).Select(s => s.Text).ToList();

    [Fact]
    public void Standard_string_ending_in_backslash_is_closed_by_its_quote()
    {
        var parts = Split("INSERT INTO p VALUES ('C:\\'); SELECT 'x';");
        Assert.Equal(["INSERT INTO p VALUES ('C:\\')", "SELECT 'x'"], parts);
        Assert.Empty(SqlLexer.Tokenize("SELECT 'C:\\';", SqlDialect.PostgreSql).Errors);
    }

    [Fact]
    public void E_string_with_backslash_quote_does_not_end_early()
    {
        var parts = Split("INSERT INTO n VALUES (E'it\\'s; here'); SELECT 1;");
        Assert.Equal(2, parts.Count);
        Assert.Equal("INSERT INTO n VALUES (E'it\\'s; here')", parts[0]);
    }

    [Fact]
    public void E_string_ending_in_escaped_backslash_is_closed()
    {
        Assert.Equal(2, Split("SELECT E'\\\\'; SELECT 2;").Count);
    }

    [Fact]
    public void Doubled_quotes_stay_inside_the_string()
    {
        Assert.Equal(["SELECT 'it''s; fine'", "SELECT 2"], Split("SELECT 'it''s; fine'; SELECT 2"));
    }

    [Fact]
    public void Double_dollar_inside_tagged_dollar_body_does_not_close_it()
    {
        var sql = "CREATE FUNCTION f() RETURNS text AS $fn$ SELECT $$;$$; $fn$ LANGUAGE sql; SELECT 1;";
        var parts = Split(sql);
        Assert.Equal(2, parts.Count);
        Assert.EndsWith("LANGUAGE sql", parts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Dollar_parameters_are_not_dollar_quotes()
    {
        var lexed = SqlLexer.Tokenize("SELECT $1, $2; SELECT 3;", SqlDialect.PostgreSql);
        Assert.Empty(lexed.Errors);
        Assert.Equal(2, Split("SELECT $1, $2; SELECT 3;").Count);
    }

    [Fact]
    public void Begin_atomic_body_with_case_end_is_one_statement()
    {
        var sql = "CREATE FUNCTION s(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT CASE x WHEN 1 THEN 1 END; END; SELECT 2;";
        var parts = Split(sql);
        Assert.Equal(2, parts.Count);
        Assert.EndsWith("END", parts[0], StringComparison.Ordinal);
        Assert.Equal("SELECT 2", parts[1]);
    }

    [Fact]
    public void Nested_block_comments_nest_in_postgresql()
    {
        var parts = Split("/* a /* b; */ c; */ SELECT 1; SELECT 2;");
        Assert.Equal(["SELECT 1", "SELECT 2"], parts);
    }

    [Fact]
    public void Block_comments_do_not_nest_in_sqlite()
    {
        var parts = Split("/* a /* b; */ SELECT 1; SELECT 2;", SqlDialect.Sqlite);
        Assert.Equal(["SELECT 1", "SELECT 2"], parts);
    }

    [Fact]
    public void Quoted_identifiers_holding_semicolons_and_keywords_do_not_split()
    {
        var parts = Split("CREATE TABLE \"a;b\" (\"drop table\" int); SELECT 1;");
        Assert.Equal(2, parts.Count);
        var view = SqlStatementSplitter.Split("CREATE TABLE \"a;b\" (x int)", SqlDialect.PostgreSql)[0];
        Assert.Equal("CREATE", view.Verb);
    }

    [Fact]
    public void Sqlite_bracket_and_backtick_identifiers_hold_semicolons()
    {
        var parts = Split("CREATE TABLE [a;b] (`c;d` INTEGER); SELECT 1;", SqlDialect.Sqlite);
        Assert.Equal(2, parts.Count);
    }

    [Fact]
    public void Sqlite_trigger_body_is_one_statement()
    {
        var sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN new.x THEN 1 END; DELETE FROM c; END; SELECT 1;";
        var parts = Split(sql, SqlDialect.Sqlite);
        Assert.Equal(2, parts.Count);
        Assert.EndsWith("END", parts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Several_statements_on_one_line_get_the_same_line_and_their_own_offsets()
    {
        var statements = SqlStatementSplitter.Split("SELECT 1;\nSELECT 2; SELECT 3;", SqlDialect.PostgreSql);
        Assert.Equal([1, 2, 2], statements.Select(s => s.Line));
        Assert.Equal([0, 10, 20], statements.Select(s => s.Offset));
    }

    [Fact]
    public void Line_numbers_count_newlines_inside_strings_and_comments()
    {
        var statements = SqlStatementSplitter.Split("SELECT 'a\nb';\n/* x\ny */\nSELECT 2;", SqlDialect.PostgreSql);
        Assert.Equal([1, 5], statements.Select(s => s.Line));
    }

    [Fact]
    public void Create_rule_action_list_holds_semicolons()
    {
        var parts = Split("CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); INSERT INTO c VALUES (2)); SELECT 1;");
        Assert.Equal(2, parts.Count);
    }

    [Theory]
    [InlineData("SELECT 'open", "unterminated string")]
    [InlineData("SELECT \"open", "unterminated quoted identifier")]
    [InlineData("SELECT E'open\\'", "unterminated string")]
    [InlineData("SELECT $x$ open", "unterminated dollar-quoted body")]
    [InlineData("/* open /* nested */", "unterminated /* block comment */")]
    public void Unterminated_constructs_are_reported_as_errors(string sql, string message)
    {
        var errors = SqlLexer.Tokenize(sql, SqlDialect.PostgreSql).Errors;
        Assert.Single(errors);
        Assert.StartsWith(message, errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_block_comment_may_run_to_the_end_of_the_script()
    {
        var lexed = SqlLexer.Tokenize("SELECT 1; /* trailing note", SqlDialect.Sqlite);
        Assert.Empty(lexed.Errors);
        Assert.Equal(["SELECT 1"], Split("SELECT 1; /* trailing note", SqlDialect.Sqlite));
    }

    [Fact]
    public void Unterminated_sqlite_bracket_is_reported()
    {
        Assert.Single(SqlLexer.Tokenize("SELECT [open", SqlDialect.Sqlite).Errors);
    }

    [Fact]
    public void Script_reports_unclosed_begin_atomic_and_unbalanced_parentheses()
    {
        var script = SqlScript.Parse("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;", SqlDialect.PostgreSql);
        Assert.Contains(script.Errors, e => e.Message.Contains("never closed", StringComparison.Ordinal));
        var parens = SqlScript.Parse("SELECT (1;\nSELECT 1);", SqlDialect.PostgreSql);
        Assert.Equal(2, parens.Errors.Count);
        Assert.Equal([1, 2], parens.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Keywords_inside_strings_comments_and_bodies_are_not_words()
    {
        const string sql = "SELECT 'DROP' /* DROP */ -- DROP\n, $$DROP$$, \"DROP\"";
        var lexed = SqlLexer.Tokenize(sql, SqlDialect.PostgreSql);
        Assert.DoesNotContain(lexed.Tokens, t => t.IsWord(sql, "DROP"));
    }

    [Fact]
    public void Empty_statements_between_semicolons_are_skipped()
    {
        Assert.Equal(["SELECT 1"], Split(";;\n SELECT 1;; ;"));
    }
}
