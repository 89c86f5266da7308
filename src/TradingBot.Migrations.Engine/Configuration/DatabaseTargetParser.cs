using System.Net;
using TradingBot.Migrations.Engine.Databases;

namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>
/// Turns what a user passes to -Database into a <see cref="DatabaseTarget"/>: a postgres:// or
/// postgresql:// URL, an Npgsql keyword string, sqlite:path, or a path to a .db/.sqlite file.
/// </summary>
internal static class DatabaseTargetParser
{
    public const string DefaultSqliteFile = "dev.db";

    public static DatabaseTarget Parse(string value, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid(MigrationErrors.EmptyDatabase, "The database is empty. Pass a postgres:// URL, an Npgsql connection string, sqlite:path or a .db file.");
        }

        value = value.Trim();
        var schemeEnd = value.IndexOf(':', StringComparison.Ordinal);
        var scheme = schemeEnd > 1 ? value[..schemeEnd].ToLowerInvariant() : string.Empty;
        if (DatabaseDialects.All.FirstOrDefault(d => d.UrlSchemes.Contains(scheme)) is { } named)
        {
            return named.FromUrl(value, baseDirectory);
        }

        foreach (var dialect in DatabaseDialects.All)
        {
            if (dialect.TryParse(value, baseDirectory, out var target))
            {
                return target;
            }
        }

        if (schemeEnd > 1 && value.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(MigrationErrors.UnknownDatabaseScheme,
                $"'{scheme}' databases are not supported. Use postgres://, postgresql://, an Npgsql connection string, sqlite:path or a .db file.");
        }

        throw Invalid(MigrationErrors.UnrecognisedDatabase,
            "The database is not recognised. Pass a postgres:// URL, an Npgsql connection string (Host=...;Database=...), sqlite:path, or a path ending in .db, .sqlite or .sqlite3.");
    }

    /// <summary>
    /// The target with the user and password of <paramref name="credential"/> (-Credential). Refused for SQLite, which has
    /// neither, and for a target that already has a password or names another user: the password is kept in one place.
    /// </summary>
    public static DatabaseTarget WithCredential(DatabaseTarget target, NetworkCredential credential)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(credential);
        return DatabaseDialects.For(target.Dialect).WithCredential(target, credential);
    }

    internal static MigrationException Invalid(MigrationError error, string message) => new(error, message);
}
