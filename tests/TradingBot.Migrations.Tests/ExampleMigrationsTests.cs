using Microsoft.Data.Sqlite;
using Npgsql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// The shipped examples in migrations/ apply, roll back completely, and apply again to the same schema, on both
/// databases. Only the examples are copied, by version, so migrations a developer adds to migrations/ (as New-Migration
/// does there) do not change what these tests see.
/// </summary>
public sealed class ExampleMigrationsTests : IDisposable
{
    private static readonly string[] ExampleVersions = ["1.0.1", "1.0.2", "1.0.3"];

    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public ExampleMigrationsTests()
    {
        foreach (var file in Directory.GetFiles(ExamplesFolder).Where(IsExample))
        {
            File.Copy(file, Path.Combine(folder.Migrations, Path.GetFileName(file)));
        }

        session = new PowerShellSession(folder.Path);
    }

    // TBM_EXAMPLE_MIGRATIONS names another copy of migrations/: tests/pester/ExampleMigrations.Tests.ps1 runs these
    // tests on a copy with a developer's migration added.
    private static string ExamplesFolder =>
        Environment.GetEnvironmentVariable("TBM_EXAMPLE_MIGRATIONS") is { Length: > 0 } folder ? folder : Path.Combine(RepositoryPaths.Root, "migrations");

    private static bool IsExample(string path) =>
        ExampleVersions.Any(version => Path.GetFileName(path).StartsWith(version + "__", StringComparison.Ordinal));

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Sqlite_up_down_up_ends_at_the_schema_of_the_first_up()
    {
        var database = Path.Combine(folder.Path, "examples.db");
        string Schema() => SqliteSchema(database);

        var first = UpDownUp($"sqlite:{database}", Schema);

        Assert.Contains("CREATE TABLE trading_sessions", first, StringComparison.Ordinal);
        Assert.Contains("duration_seconds", first, StringComparison.Ordinal);
    }

    [RequiresPostgresFact]
    public void Postgres_up_down_up_ends_at_the_schema_of_the_first_up()
    {
        var connectionString = PostgresCluster.CreateDatabase("examples");
        string Schema() => PostgresSchema(connectionString);

        var first = UpDownUp(PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString)), Schema);

        Assert.Contains("trading_sessions_running_idx", first, StringComparison.Ordinal);
        Assert.Contains("duration_seconds", first, StringComparison.Ordinal);
    }

    private string UpDownUp(string database, Func<string> schema)
    {
        var applied = session.Run($"Invoke-Migration -Database '{database}'").ThrowOnError().Output;
        Assert.Equal(ExampleVersions, applied.Select(o => o.Properties["Version"].Value.ToString()));
        var first = schema();

        session.Run($"Undo-Migration -All -Force -Database '{database}'").ThrowOnError();
        Assert.Equal(string.Empty, schema());
        Assert.All(session.Run($"Get-MigrationStatus -Database '{database}'").ThrowOnError().Output, s => Assert.Equal("Pending", s.Properties["State"].Value.ToString()));

        session.Run($"Invoke-Migration -Database '{database}'").ThrowOnError();
        Assert.Equal(first, schema());
        return first;
    }

    private static string SqliteSchema(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> 'schema_migrations' ORDER BY type, name)";
        return command.ExecuteScalar() as string ?? string.Empty;
    }

    private static string PostgresSchema(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            """
            SELECT coalesce(string_agg(item, E'\n' ORDER BY item), '') FROM (
                SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, coalesce(column_default, '')) AS item
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
                UNION ALL
                SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
                UNION ALL
                SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
            ) AS schema_items
            """, connection);
        return (string)command.ExecuteScalar()!;
    }
}
