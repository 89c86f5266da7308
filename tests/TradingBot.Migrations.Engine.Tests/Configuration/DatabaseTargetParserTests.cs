using Microsoft.Data.Sqlite;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Configuration;

public sealed class DatabaseTargetParserTests : IDisposable
{
    private const string Password = "S3cr3t!p@ss";
    private const string EncodedPassword = "S3cr3t%21p%40ss";
    private readonly string baseDirectory = Directory.CreateTempSubdirectory("tbm-target-").FullName;

    public void Dispose() => Directory.Delete(baseDirectory, recursive: true);

    private DatabaseTarget Parse(string value) => DatabaseTargetParser.Parse(value, baseDirectory);

    private MigrationException Refused(string value, string errorId)
    {
        var error = Assert.Throws<MigrationException>(() => Parse(value));
        Assert.Equal(MigrationErrorKind.InvalidTarget, error.Kind);
        Assert.Equal(errorId, error.ErrorId);
        AssertNoPassword(error.Message);
        return error;
    }

    private static NpgsqlConnectionStringBuilder Npgsql(DatabaseTarget target) => new(target.ConnectionString);

    private static void AssertNoPassword(string? text)
    {
        Assert.DoesNotContain(Password, text ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(EncodedPassword, text ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("S3cr3t", text ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("postgresql")]
    [InlineData("POSTGRES")]
    public void A_postgres_url_becomes_an_Npgsql_connection_with_a_decoded_password(string scheme)
    {
        var target = Parse($"{scheme}://app_user:{EncodedPassword}@db.example.com:6543/trading");

        var builder = Npgsql(target);
        Assert.Equal(SqlDialect.PostgreSql, target.Dialect);
        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("app_user", builder.Username);
        Assert.Equal(Password, builder.Password);
        Assert.Equal("trading", builder.Database);
        Assert.Equal("TradingBot.Migrations", builder.ApplicationName);
    }

    [Fact]
    public void Percent_encoded_user_and_database_names_are_decoded()
    {
        var builder = Npgsql(Parse($"postgres://me%40corp:{EncodedPassword}@h/my%20db"));

        Assert.Equal("me@corp", builder.Username);
        Assert.Equal("my db", builder.Database);
    }

    [Fact]
    public void DisplayName_and_ToString_show_user_host_port_and_database_but_never_the_password()
    {
        var target = Parse($"postgres://app_user:{EncodedPassword}@db.example.com:6543/trading");

        Assert.Equal("postgres://app_user@db.example.com:6543/trading", target.DisplayName);
        Assert.Equal(target.DisplayName, target.ToString());
        AssertNoPassword(target.DisplayName);
    }

    [Fact]
    public void The_port_defaults_to_5432()
    {
        var target = Parse("postgres://u@db.example.com/app");

        Assert.Equal(5432, Npgsql(target).Port);
        Assert.Equal("postgres://u@db.example.com:5432/app", target.DisplayName);
    }

    [Fact]
    public void An_IPv6_host_in_brackets_is_understood_and_shown_in_brackets()
    {
        var target = Parse($"postgres://u:{EncodedPassword}@[::1]:6000/app");

        Assert.Equal("::1", Npgsql(target).Host);
        Assert.Equal(6000, Npgsql(target).Port);
        Assert.Equal("postgres://u@[::1]:6000/app", target.DisplayName);
    }

    [Fact]
    public void Sslmode_require_is_honoured()
    {
        Assert.Equal(SslMode.Require, Npgsql(Parse("postgres://u:p@h/db?sslmode=require")).SslMode);
    }

    [Fact]
    public void Sslmode_verify_full_with_a_root_certificate_is_honoured()
    {
        var builder = Npgsql(Parse("postgres://u:p@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Froot.crt"));

        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("/etc/ssl/root.crt", builder.RootCertificate);
    }

    [Fact]
    public void Libpq_options_map_onto_Npgsql_keywords()
    {
        var builder = Npgsql(Parse("postgres://u@h/db?connect_timeout=7&application_name=deployer&sslmode=verify-ca"));

        Assert.Equal(7, builder.Timeout);
        Assert.Equal("deployer", builder.ApplicationName);
        Assert.Equal(SslMode.VerifyCA, builder.SslMode);
    }

    [Fact]
    public void An_unknown_url_option_is_refused_naming_it_and_not_the_password()
    {
        var error = Refused($"postgres://u:{EncodedPassword}@h/db?sslmode=require&frobnicate=yes", "InvalidPostgresUrlOption");

        Assert.Contains("'frobnicate=yes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sslmode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_sslmode_value_is_refused_naming_it()
    {
        var error = Refused($"postgres://u:{EncodedPassword}@h/db?sslmode=sometimes", "InvalidPostgresUrlOption");

        Assert.Contains("'sslmode=sometimes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:" + Password + "@h:notaport/db")]
    [InlineData("postgres://u:" + Password + "@db.example.com/db")]
    [InlineData("postgres://u:" + Password + "@db.example.com:5432/db?sslmode=require")]
    public void A_malformed_postgres_url_is_refused_with_the_password_masked(string url)
    {
        var error = Refused(url, "InvalidPostgresUrl");

        Assert.Contains("postgres://user:password@host:5432/database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Npgsql_keyword_string_is_passed_through()
    {
        var target = Parse($"Host=db.internal;Port=5433;Database=app;Username=bob;Password={Password};SSL Mode=Require");

        var builder = Npgsql(target);
        Assert.Equal(SqlDialect.PostgreSql, target.Dialect);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal(Password, builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("postgres://bob@db.internal:5433/app", target.DisplayName);
        AssertNoPassword(target.ToString());
    }

    [Fact]
    public void An_Npgsql_keyword_string_keeps_its_own_application_name()
    {
        Assert.Equal("mine", Npgsql(Parse("Host=h;Database=d;Application Name=mine")).ApplicationName);
    }

    [Fact]
    public void An_invalid_Npgsql_keyword_string_is_refused_without_the_password()
    {
        Refused($"Host=h;Password={Password};Frobnicate=1", "InvalidConnectionString");
    }

    [Fact]
    public void An_Npgsql_keyword_string_without_a_host_is_refused()
    {
        Refused($"Database=d;Password={Password}", "ConnectionStringWithoutHost");
    }

    [Fact]
    public void Redact_replaces_the_password_and_its_url_encoding()
    {
        var target = Parse($"postgres://u:{EncodedPassword}@h/db");

        Assert.Equal("a *** b *** c", target.Redact($"a {Password} b {EncodedPassword} c"));
    }

    [Fact]
    public void Sqlite_colon_path_is_relative_to_the_base_directory()
    {
        var target = Parse("sqlite:data.db");

        Assert.Equal(SqlDialect.Sqlite, target.Dialect);
        Assert.Equal(Path.Combine(baseDirectory, "data.db"), target.DisplayName);
        Assert.Equal(Path.Combine(baseDirectory, "data.db"), new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void Sqlite_triple_slash_is_an_absolute_path()
    {
        var absolute = Path.Combine(baseDirectory, "abs.sqlite");

        Assert.Equal(absolute, Parse("sqlite://" + absolute).DisplayName);
        Assert.Equal(absolute, Parse("sqlite:" + absolute).DisplayName);
    }

    [Theory]
    [InlineData("app.db")]
    [InlineData("./app.sqlite")]
    [InlineData("app.sqlite3")]
    [InlineData("APP.DB")]
    public void A_path_ending_in_db_or_sqlite_is_a_sqlite_file(string value)
    {
        var target = Parse(value);

        Assert.Equal(SqlDialect.Sqlite, target.Dialect);
        Assert.Equal(Path.GetFullPath(value, baseDirectory), target.DisplayName);
    }

    [Theory]
    [InlineData("backups/app=v2.db")]
    [InlineData("./run=1.sqlite")]
    public void A_db_path_with_an_equals_sign_is_a_sqlite_file_not_a_connection_string(string value)
    {
        Directory.CreateDirectory(Path.Combine(baseDirectory, "backups"));

        var target = Parse(value);

        Assert.Equal(SqlDialect.Sqlite, target.Dialect);
        Assert.Equal(Path.GetFullPath(value, baseDirectory), target.DisplayName);
    }

    [Fact]
    public void A_keyword_string_whose_database_ends_in_db_is_still_a_connection_string()
    {
        Assert.Equal(SqlDialect.PostgreSql, Parse("Host=h;Database=app.db").Dialect);
    }

    [Fact]
    public void An_absolute_db_path_is_used_as_is()
    {
        var absolute = Path.Combine(baseDirectory, "x.db");

        Assert.Equal(absolute, Parse(absolute).DisplayName);
    }

    [Fact]
    public void A_sqlite_path_in_a_folder_that_does_not_exist_is_refused_naming_the_folder()
    {
        var error = Refused("sqlite:missing/folder/app.db", "SqliteFolderNotFound");

        Assert.Contains(Path.Combine(baseDirectory, "missing", "folder"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_sqlite_path_is_refused()
    {
        Refused("sqlite:", "EmptySqlitePath");
    }

    [Theory]
    [InlineData("mysql", "mysql://root:" + EncodedPassword + "@localhost:3306/app")]
    [InlineData("mssql", "mssql://sa:" + Password + "@localhost/app")]
    public void An_unknown_scheme_is_refused_naming_the_scheme_and_not_the_password(string scheme, string value)
    {
        var error = Refused(value, "UnknownDatabaseScheme");

        Assert.Contains($"'{scheme}' databases are not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_database_is_refused(string value)
    {
        Refused(value, "EmptyDatabase");
    }

    [Fact]
    public void Something_unrecognisable_is_refused_with_the_accepted_forms()
    {
        var error = Refused("my-database", "UnrecognisedDatabase");

        Assert.Contains(".db, .sqlite or .sqlite3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_gives_the_user_and_password_to_a_url_without_a_password()
    {
        var target = DatabaseTargetParser.WithCredential(Parse("postgres://db.example.com:5433/trading"), new System.Net.NetworkCredential("app", Password));

        Assert.Equal("app", Npgsql(target).Username);
        Assert.Equal(Password, Npgsql(target).Password);
        Assert.Equal("postgres://app@db.example.com:5433/trading", target.DisplayName);
        Assert.Equal("failed: ***", target.Redact("failed: " + Password));
        Assert.True(target.ContainsPassword("-Database 'postgres://app:" + EncodedPassword + "@db'"));
    }

    [Fact]
    public void A_credential_keeps_the_environment_of_its_target()
    {
        var target = Parse("Host=db;Username=app;Database=trading").WithConnectionString("Host=db;Username=app;Database=trading", "qa");

        Assert.Equal("qa", DatabaseTargetParser.WithCredential(target, new System.Net.NetworkCredential("app", Password)).Environment);
    }

    [Theory]
    [InlineData("postgres://app:" + EncodedPassword + "@db/trading", "app", "CredentialWithPassword")]
    [InlineData("Host=db;Username=app;Password=" + Password + ";Database=trading", "app", "CredentialWithPassword")]
    [InlineData("postgres://app@db/trading", "someone_else", "CredentialUserMismatch")]
    [InlineData("sqlite:./dev.db", "app", "CredentialNotSupported")]
    public void A_credential_is_refused_where_it_would_be_a_second_password_another_user_or_SQLite(string database, string user, string errorId)
    {
        var error = Assert.Throws<MigrationException>(() => DatabaseTargetParser.WithCredential(Parse(database), new System.Net.NetworkCredential(user, "other-secret")));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(MigrationErrorKind.InvalidTarget, error.Kind);
        AssertNoPassword(error.Message);
        Assert.DoesNotContain("other-secret", error.Message, StringComparison.Ordinal);
    }
}
