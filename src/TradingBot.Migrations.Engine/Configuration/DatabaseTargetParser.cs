using System.Net;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Databases.Sqlite;
using TradingBot.Migrations.Engine.Sql;

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
        if (scheme is "postgres" or "postgresql")
        {
            return PostgresConnectionString.FromUrl(value);
        }

        if (scheme is "sqlite" or "sqlite3" or "file")
        {
            return SqliteTarget.FromPath(StripSqliteScheme(value, schemeEnd), baseDirectory);
        }

        var extension = Path.GetExtension(value).ToLowerInvariant();
        var isSqliteFileName = extension is ".db" or ".sqlite" or ".sqlite3";

        // A keyword string has Key=value pairs; a lone path such as backups/app=v2.db is a file, not Npgsql's business.
        if (value.Contains('=', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal) &&
            !(isSqliteFileName && !value.Contains(';', StringComparison.Ordinal)))
        {
            return PostgresConnectionString.FromKeywords(value);
        }

        if (schemeEnd > 1 && value.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(MigrationErrors.UnknownDatabaseScheme,
                $"'{scheme}' databases are not supported. Use postgres://, postgresql://, an Npgsql connection string, sqlite:path or a .db file.");
        }

        if (isSqliteFileName)
        {
            return SqliteTarget.FromPath(value, baseDirectory);
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
        if (target.Dialect != SqlDialect.PostgreSql)
        {
            throw Invalid(MigrationErrors.CredentialNotSupported,
                $"-Credential is for PostgreSQL, and {target.DisplayName} is an SQLite database, which has no user or password. Leave out -Credential, or name a PostgreSQL database.");
        }

        return PostgresConnectionString.WithCredential(target, credential);
    }

    private static string StripSqliteScheme(string value, int schemeEnd)
    {
        var rest = value[(schemeEnd + 1)..];
        // sqlite:///abs/path and sqlite://rel/path (as dbmate and others write them) as well as sqlite:path.
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        return Uri.UnescapeDataString(rest);
    }

    internal static MigrationException Invalid(MigrationError error, string message) => new(error, message);
}
