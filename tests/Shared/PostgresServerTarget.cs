using System.Data.Common;
using System.Globalization;

namespace TradingBot.Migrations.Testing;

/// <summary>A server the tests log in to: from <c>TBM_TEST_POSTGRES</c> (an Npgsql connection string or a URL), or a throwaway one.</summary>
internal sealed record PostgresServerTarget(string Host, int Port, string User, string Password, string Database)
{
    public static bool TryParse(string value, out PostgresServerTarget target, out string error)
    {
        target = null!;
        error = string.Empty;
        string? host, port, user, password, database;
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                error = "not a valid URL.";
                return false;
            }

            var userInfo = uri.UserInfo.Split(':', 2);
            host = uri.IdnHost;
            port = uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port.ToString(CultureInfo.InvariantCulture);
            user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
            password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null;
            database = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : null;
        }
        else
        {
            DbConnectionStringBuilder builder;
            try
            {
                builder = new DbConnectionStringBuilder { ConnectionString = value };
            }
            catch (ArgumentException)
            {
                error = "not a valid connection string.";
                return false;
            }

            string? Get(params string[] keys) => keys
                .Select(k => builder.TryGetValue(k, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));

            host = Get("Host", "Server");
            port = Get("Port");
            user = Get("Username", "User Name", "User ID", "UserId", "User", "UID");
            password = Get("Password", "PWD");
            database = Get("Database", "DB");
        }

        if (string.IsNullOrEmpty(host))
        {
            error = "it names no Host.";
            return false;
        }

        if (string.IsNullOrEmpty(user))
        {
            error = "it names no Username.";
            return false;
        }

        var portNumber = 5432;
        if (port is not null && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber))
        {
            error = "its Port is not a number.";
            return false;
        }

        target = new PostgresServerTarget(host, portNumber, user, password ?? string.Empty, database ?? "postgres");
        return true;
    }
}
