using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases.PostgreSql;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Support;

/// <summary>
/// A fresh, empty database of one dialect (a SQLite file in a temp folder, or a new PostgreSQL database in the
/// test cluster), with its own connection for the test to look at what the engine did.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public const string AppliedBy = "tester@engine-tests";

    private readonly string? sqliteFolder;

    private TestDatabase(SqlDialect dialect, string value, string? sqliteFolder, string? sqliteFile)
    {
        Dialect = dialect;
        Value = value;
        this.sqliteFolder = sqliteFolder;
        SqliteFile = sqliteFile;
    }

    public SqlDialect Dialect { get; }

    /// <summary>What a user would pass to -Database: the SQLite file's path, or an Npgsql connection string.</summary>
    public string Value { get; }

    public string? SqliteFile { get; }

    public DatabaseTarget Target => DatabaseTargetParser.Parse(Value, sqliteFolder ?? Environment.CurrentDirectory);

    public static TestDatabase Create(SqlDialect dialect)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            // Commits need not wait for the WAL to reach the disk: that only matters if the OS crashes, and the
            // throwaway cluster runs with fsync on, which would make each migration step wait for the disk.
            var value = new DbConnectionStringBuilder { ConnectionString = PostgresCluster.CreateDatabase("engine"), ["Options"] = "-c synchronous_commit=off" };
            return new TestDatabase(dialect, value.ConnectionString, null, null);
        }

        var folder = Directory.CreateTempSubdirectory("tbm-sqlite-").FullName;
        var file = Path.Combine(folder, "test.db");
        return new TestDatabase(dialect, file, folder, file);
    }

    public EngineSettings Settings(MigrationFolder folder) =>
        new(Target, folder.Path) { AppliedBy = AppliedBy, LockTimeout = TimeSpan.FromSeconds(30) };

    public MigrationEngine Open(MigrationFolder folder, Func<EngineSettings, EngineSettings>? configure = null) =>
        MigrationEngine.Open((configure ?? (s => s))(Settings(folder)), CancellationToken.None);

    public IReadOnlyList<StepResult> Migrate(MigrationFolder folder, UpOptions? options = null, Func<EngineSettings, EngineSettings>? configure = null)
    {
        using var engine = Open(folder, configure);
        return engine.Migrate(options ?? new UpOptions(), NullMigrationObserver.Instance, null, CancellationToken.None);
    }

    public IReadOnlyList<StepResult> Rollback(MigrationFolder folder, DownOptions options, Func<EngineSettings, EngineSettings>? configure = null)
    {
        using var engine = Open(folder, configure);
        return engine.Rollback(options, NullMigrationObserver.Instance, null, CancellationToken.None);
    }

    /// <summary>The history as the engine reads it, oldest version first.</summary>
    public IReadOnlyList<HistoryRecord> History(MigrationFolder folder, Func<EngineSettings, EngineSettings>? configure = null)
    {
        using var engine = Open(folder, configure);
        return engine.Session.History.Exists(CancellationToken.None)
            ? engine.Session.History.Read(CancellationToken.None).OrderBy(r => MigrationVersion.Parse(r.Version)).ToList()
            : [];
    }

    private string TestConnectionString => new NpgsqlConnectionStringBuilder(Value) { ApplicationName = "engine-tests" }.ConnectionString;

    public DbConnection Connect()
    {
        DbConnection connection = Dialect == SqlDialect.PostgreSql
            ? new NpgsqlConnection(TestConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqliteFile, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ConnectionString);
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public long Count(string sql) => Convert.ToInt64(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    public void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public bool TableExists(string table, string? schema = null) =>
        Dialect == SqlDialect.PostgreSql
            ? (bool)Scalar($"SELECT to_regclass('{(schema is null ? string.Empty : schema + ".")}{table}') IS NOT NULL")!
            : SqliteFile is not null && File.Exists(SqliteFile) && Count($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") > 0;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Dialect == SqlDialect.PostgreSql)
        {
            // The database lives until the end of the run, and so would the idle connections pooled for it (the engine's
            // data sources and the test's own): close them now, so a whole run stays under the server's max_connections.
            PostgresDataSources.Clear(Target.ConnectionString);
            using var connection = new NpgsqlConnection(TestConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        if (sqliteFolder is not null)
        {
            try
            {
                Directory.Delete(sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}

/// <summary>The dialects every database test runs on: SQLite always, PostgreSQL wherever a cluster can be had or is required.</summary>
public static class Dialects
{
    public static TheoryData<SqlDialect> All
    {
        get
        {
            var data = new TheoryData<SqlDialect> { SqlDialect.Sqlite };
            if (PostgresCluster.SkipReason is null)
            {
                data.Add(SqlDialect.PostgreSql);
            }

            return data;
        }
    }
}
