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

    /// <summary>
    /// A copy of <paramref name="source"/>, data and history included, made with VACUUM INTO (which only reads the source,
    /// in one read transaction); a source file that does not exist yet gives an empty scratch database.
    /// </summary>
    public static SqliteScratchDatabase CopyOf(DatabaseTarget source)
    {
        var scratch = Create();
        var sourcePath = new SqliteConnectionStringBuilder(source.ConnectionString).DataSource;
        if (!File.Exists(sourcePath))
        {
            return scratch;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(source.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new SqliteCommand("VACUUM INTO $path", connection);
            command.Parameters.AddWithValue("$path", new SqliteConnectionStringBuilder(scratch.Target.ConnectionString).DataSource);
            command.ExecuteNonQuery();
            return scratch;
        }
        catch (SqliteException e)
        {
            scratch.Dispose();
            throw new MigrationException(MigrationErrors.ScratchDatabaseFailed, $"Cannot copy {source.DisplayName} into a scratch database (VACUUM INTO): {e.Message}", e);
        }
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
