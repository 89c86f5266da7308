using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>
/// Where a run connects. The connection string may hold a password, so it is never part of the
/// string form: <see cref="DisplayName"/> and <see cref="ToString"/> are safe to show anywhere.
/// </summary>
public sealed class DatabaseTarget
{
    private readonly string? secret;

    internal DatabaseTarget(SqlDialect dialect, string connectionString, string displayName, string? secret)
    {
        Dialect = dialect;
        ConnectionString = connectionString;
        DisplayName = displayName;
        this.secret = string.IsNullOrEmpty(secret) ? null : secret;
    }

    public SqlDialect Dialect { get; }

    /// <summary>The driver's connection string; it may hold the password and must never be shown.</summary>
    internal string ConnectionString { get; }

    /// <summary>postgres://user@host:port/database or the SQLite file's full path; never a password.</summary>
    public string DisplayName { get; }

    /// <summary>The environment this target came from, when it came from one.</summary>
    public string? Environment { get; init; }

    /// <summary>Replaces every occurrence of the password in <paramref name="text"/> with ***.</summary>
    public string Redact(string text)
    {
        if (secret is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = text.Replace(secret, "***", StringComparison.Ordinal);
        var encoded = Uri.EscapeDataString(secret);
        return encoded == secret ? text : text.Replace(encoded, "***", StringComparison.Ordinal);
    }

    /// <summary>Whether the connection string holds a password (from the URL, the keywords or a credential).</summary>
    internal bool HasPassword => secret is not null;

    /// <summary>Whether <paramref name="text"/> holds the password, as written or percent-encoded.</summary>
    public bool ContainsPassword(string? text) =>
        secret is not null && !string.IsNullOrEmpty(text) &&
        (text.Contains(secret, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal));

    public override string ToString() => DisplayName;

    /// <summary>The same target with another driver connection string (timeouts), keeping its name, password and environment.</summary>
    internal DatabaseTarget WithConnectionString(string connectionString, string? environment) =>
        new(Dialect, connectionString, DisplayName, secret) { Environment = environment };
}
