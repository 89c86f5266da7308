using System.Globalization;
using System.Net;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// PostgreSQL URLs as Railway, Heroku and Render give them (percent-encoded credentials, IPv6
/// hosts, libpq query options) and Npgsql keyword strings, both turned into an Npgsql connection string.
/// </summary>
internal static class PostgresConnectionString
{
    public const string ApplicationName = "TradingBot.Migrations";

    // libpq query options and the Npgsql keyword each maps onto.
    private static readonly Dictionary<string, string> LibpqOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["search_path"] = "Search Path",
        ["keepalives_idle"] = "Keepalive",
        ["command_timeout"] = "Command Timeout",
    };

    public static DatabaseTarget FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.InvalidPostgresUrl,
                $"'{Mask(url)}' is not a valid PostgreSQL URL. Write postgres://user:password@host:5432/database?sslmode=require.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };

        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = Uri.UnescapeDataString(equals < 0 ? string.Empty : pair[(equals + 1)..].Replace('+', ' '));
            SetOption(builder, key, value, builder.Password);
        }

        return Finish(builder);
    }

    public static DatabaseTarget FromKeywords(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.InvalidConnectionString,
                $"The Npgsql connection string is not valid: {RedactKeywords(e.Message, connectionString)} Use Host=...;Port=5432;Database=...;Username=...;Password=....");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.ConnectionStringWithoutHost, "The Npgsql connection string has no Host=. Add the server's host name.");
        }

        return Finish(builder);
    }

    /// <summary>The target with the credential's user and password; see <see cref="DatabaseTargetParser.WithCredential"/>.</summary>
    public static DatabaseTarget WithCredential(DatabaseTarget target, NetworkCredential credential)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (target.HasPassword)
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.CredentialWithPassword,
                $"The database {target.DisplayName} has a password of its own, and -Credential gives one too. Keep the password in one place: " +
                "take it out of the URL or connection string (postgres://user@host/database), or leave out -Credential.");
        }

        if (!string.IsNullOrEmpty(builder.Username) && !string.IsNullOrEmpty(credential.UserName) && builder.Username != credential.UserName)
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.CredentialUserMismatch,
                $"The database {target.DisplayName} names the user '{builder.Username}', and -Credential the user '{credential.UserName}'. " +
                "Name the user in one place, or make them the same.");
        }

        if (!string.IsNullOrEmpty(credential.UserName))
        {
            builder.Username = credential.UserName;
        }

        builder.Password = credential.Password;
        return Finish(builder, target.Environment);
    }

    private static void SetOption(NpgsqlConnectionStringBuilder builder, string key, string value, string? password)
    {
        var keyword = LibpqOptions.GetValueOrDefault(key, key);
        try
        {
            builder[keyword] = keyword == "SSL Mode" ? LibpqSslMode(value) : value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            var message = password is { Length: > 0 } ? e.Message.Replace(password, "***", StringComparison.Ordinal) : e.Message;
            throw DatabaseTargetParser.Invalid(MigrationErrors.InvalidPostgresUrlOption,
                $"The URL option '{key}={value}' is not understood: {message} Supported: {string.Join(", ", LibpqOptions.Keys)}, or any Npgsql keyword.");
        }
    }

    // libpq spells the modes in lower case with dashes; Npgsql's enum has no dash.
    private static string LibpqSslMode(string value) => value.Replace("-", string.Empty, StringComparison.Ordinal);

    private static DatabaseTarget Finish(NpgsqlConnectionStringBuilder builder, string? environment = null)
    {
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = ApplicationName;
        }

        var host = builder.Host!.Contains(':', StringComparison.Ordinal) ? $"[{builder.Host}]" : builder.Host;
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : Uri.EscapeDataString(builder.Username) + "@";
        var display = string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{host}:{builder.Port}/{builder.Database ?? string.Empty}");
        return new DatabaseTarget(SqlDialect.PostgreSql, builder.ConnectionString, display, builder.Password) { Environment = environment };
    }

    private static string Mask(string url)
    {
        var at = url.LastIndexOf('@');
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || schemeEnd < 0 || at < schemeEnd)
        {
            return url;
        }

        var credentials = url[(schemeEnd + 3)..at];
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url : url[..(schemeEnd + 3)] + credentials[..colon] + ":***" + url[at..];
    }

    private static string RedactKeywords(string message, string connectionString)
    {
        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                var secret = part[(equals + 1)..].Trim();
                if (secret.Length > 0)
                {
                    message = message.Replace(secret, "***", StringComparison.Ordinal);
                }
            }
        }

        return message;
    }
}
