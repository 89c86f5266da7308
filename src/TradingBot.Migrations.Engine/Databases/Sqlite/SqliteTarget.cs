using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

internal static class SqliteTarget
{
    public static DatabaseTarget FromPath(string path, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.EmptySqlitePath, "The SQLite path is empty. Write sqlite:./dev.db or a path to a .db file.");
        }

        var fullPath = Path.GetFullPath(path, baseDirectory);
        var folder = Path.GetDirectoryName(fullPath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw DatabaseTargetParser.Invalid(MigrationErrors.SqliteFolderNotFound,
                $"The folder of the SQLite database '{fullPath}' does not exist. Create '{folder}' first, or fix the path.");
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        return new DatabaseTarget(SqlDialect.Sqlite, builder.ConnectionString, fullPath, secret: null);
    }
}
