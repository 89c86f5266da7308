using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// A database created from template0 on the server of the target it is given (whose user needs CREATEDB) and dropped
/// WITH (FORCE), which also ends any session still on it. Its name says what it is and when it was made
/// (tbm_scratch_20261206180000_ab12cd34), so one a killed process left behind is easy to find and drop.
/// </summary>
internal sealed class PostgresScratchDatabase : IScratchDatabase
{
    private readonly string serverConnectionString;
    private readonly string name;
    private bool dropped;

    private PostgresScratchDatabase(string serverConnectionString, string name, DatabaseTarget target)
    {
        this.serverConnectionString = serverConnectionString;
        this.name = name;
        Target = target;
    }

    public DatabaseTarget Target { get; }

    public static PostgresScratchDatabase Create(DatabaseTarget server, CancellationToken cancellation)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"tbm_scratch_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}")[..42];
        var serverConnection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        try
        {
            Administer(serverConnection, $"CREATE DATABASE {name} TEMPLATE template0", cancellation);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            throw cancellation.IsCancellationRequested
                ? new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled.", e)
                : new MigrationException(MigrationErrors.ScratchDatabaseFailed,
                    server.Redact($"Cannot create a scratch database on the server of {server.DisplayName} to replay the migrations in: {PostgresSession.Describe(e)}"), e)
                {
                    RecommendedAction = "Give the user the CREATEDB privilege (ALTER ROLE <user> CREATEDB), or name a server where it has it.",
                };
        }

        var target = PostgresConnectionString.FromKeywords(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString);
        return new PostgresScratchDatabase(serverConnection, name, target);
    }

    public void Drop()
    {
        if (dropped)
        {
            return;
        }

        PostgresDataSources.Forget(Target.ConnectionString);
        try
        {
            Administer(serverConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            throw new MigrationException(MigrationErrors.ScratchDatabaseFailed,
                Target.Redact($"Cannot drop the scratch database {name}: {PostgresSession.Describe(e)}"), e)
            {
                RecommendedAction = $"Drop it by hand: DROP DATABASE {name};",
            };
        }

        dropped = true;
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

    private static void Administer(string connectionString, string sql, CancellationToken cancellation)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        // CREATE DATABASE copies the template and DROP DATABASE waits for a checkpoint: on a busy server either can outlast the 30 s default.
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        using (cancellation.Register(() => PostgresSession.CancelSafely(command.Cancel)))
        {
            command.ExecuteNonQuery();
        }
    }
}
