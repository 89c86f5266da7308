using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>A database file in a new temporary folder (tbm-scratch-*), removed with the folder.</summary>
internal sealed class SqliteScratchDatabase : IScratchDatabase
{
    private readonly string folder;

    private SqliteScratchDatabase(string folder, DatabaseTarget target)
    {
        this.folder = folder;
        Target = target;
    }

    public DatabaseTarget Target { get; }

    public static SqliteScratchDatabase Create()
    {
        var folder = Directory.CreateTempSubdirectory("tbm-scratch-").FullName;
        return new SqliteScratchDatabase(folder, SqliteTarget.FromPath("scratch.db", folder));
    }

    public void Drop()
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        using (var connection = new SqliteConnection(Target.ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(MigrationErrors.ScratchDatabaseFailed, $"Cannot remove the scratch database folder {folder}: {e.Message}", e)
            {
                RecommendedAction = $"Remove {folder} by hand.",
            };
        }
    }

    public void Dispose()
    {
        try
        {
            Drop();
        }
        catch (MigrationException e)
        {
            Trace.TraceWarning("{0}", e.Message);
        }
    }
}
