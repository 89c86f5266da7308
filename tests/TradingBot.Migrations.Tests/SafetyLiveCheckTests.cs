using Npgsql;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>Test-MigrationSafety with a database: schema integrity, history health and performance impact.</summary>
public sealed class SafetyLiveCheckTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public SafetyLiveCheckTests()
    {
        session = new PowerShellSession(folder.Path);
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Sqlite_live_checks_find_missing_keys_unindexed_foreign_keys_orphans_and_size_the_tables_pending_statements_lock()
    {
        folder.Write("1.0.1__schema.up.sql", """
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE trades (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id), symbol TEXT);
            CREATE TABLE audit_log (at TEXT, message TEXT);
            """);
        folder.Write("1.0.1__schema.down.sql", "DROP TABLE audit_log;\nDROP TABLE trades;\nDROP TABLE accounts;\n");
        session.Run("Invoke-Migration").ThrowOnError();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.Path, "dev.db")};Foreign Keys=False;Pooling=False"))
        {
            connection.Open(); // an orphan, as a connection with foreign keys off can write
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO trades (account_id, symbol) VALUES (42, 'orphan')";
            insert.ExecuteNonQuery();
        }

        folder.Write("1.0.2__rename.up.sql", "ALTER TABLE trades RENAME COLUMN symbol TO ticker;\n");
        folder.Write("1.0.2__rename.down.sql", "ALTER TABLE trades RENAME COLUMN ticker TO symbol;\n");

        var findings = session.Run("Test-MigrationSafety -Database sqlite:./dev.db").ThrowOnError().Output;
        string Message(string rule) => (string)findings.Single(f => (string)f.Properties["Rule"].Value == rule).Properties["Message"].Value;

        Assert.Contains("audit_log", Message("table-without-primary-key"), StringComparison.Ordinal);
        Assert.Contains("trades", Message("foreign-key-without-index"), StringComparison.Ordinal);
        Assert.Contains("1 row(s) of trades", Message("orphaned-rows"), StringComparison.Ordinal);
        Assert.Contains("trades (1 rows", Message("lock-impact"), StringComparison.Ordinal);
        Assert.Contains(findings, f => (string)f.Properties["Rule"].Value == "rename-column");
        Assert.Equal("Live", findings.First(f => (string)f.Properties["Rule"].Value == "orphaned-rows").Properties["Script"].Value);
    }

    [Fact]
    public void History_health_reports_modified_migrations()
    {
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        folder.Write("1.0.1__a.down.sql", "DROP TABLE a;\n");
        session.Run("Invoke-Migration").ThrowOnError();
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY, b TEXT);\n");

        var findings = session.Run("Test-MigrationSafety -Database sqlite:./dev.db").ThrowOnError().Output;

        var modified = Assert.Single(findings, f => (string)f.Properties["Rule"].Value == "history-modified");
        Assert.Equal("Error", modified.Properties["Severity"].Value.ToString());
    }

    [RequiresPostgresFact]
    public void Postgres_live_checks_find_invalid_indexes_and_not_valid_orphans_and_size_locked_tables()
    {
        var connectionString = PostgresCluster.CreateDatabase("safety_live");
        var url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(connectionString));
        folder.Write("1.0.1__schema.up.sql", """
            CREATE TABLE accounts (id bigint PRIMARY KEY);
            CREATE TABLE trades (id bigint PRIMARY KEY, account_id bigint, symbol text);
            INSERT INTO accounts SELECT g FROM generate_series(1, 10) g;
            INSERT INTO trades SELECT g, g % 20, 'S' || (g % 3) FROM generate_series(1, 20000) g;
            ALTER TABLE trades ADD CONSTRAINT trades_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
            CREATE INDEX trades_account_idx ON trades (account_id);
            """);
        folder.Write("1.0.1__schema.down.sql", "DROP TABLE trades;\nDROP TABLE accounts;\n");
        session.Run($"Invoke-Migration -Database '{url}'").ThrowOnError();
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var failing = new NpgsqlCommand("CREATE UNIQUE INDEX CONCURRENTLY trades_symbol_key ON trades (symbol)", connection);
            Assert.Throws<PostgresException>(() => failing.ExecuteNonQuery()); // duplicates: leaves an invalid index behind
        }

        folder.Write("1.0.2__type.up.sql", "SET lock_timeout = '5s';\nALTER TABLE trades ALTER COLUMN symbol TYPE varchar(10);\n");
        folder.Write("1.0.2__type.down.sql", "ALTER TABLE trades ALTER COLUMN symbol TYPE text;\n");

        var findings = session.Run($"Test-MigrationSafety -Database '{url}'").ThrowOnError().Output;
        string Message(string rule) => (string)findings.First(f => (string)f.Properties["Rule"].Value == rule).Properties["Message"].Value;

        Assert.Contains("trades_symbol_key", Message("invalid-index"), StringComparison.Ordinal);
        Assert.Contains("row(s) of trades violate foreign key trades_account_fk", Message("orphaned-rows"), StringComparison.Ordinal);
        Assert.Contains("scans or rewrites trades (20 k rows", Message("lock-impact"), StringComparison.Ordinal);
        Assert.Contains("ACCESS EXCLUSIVE", Message("lock-impact"), StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => (string)f.Properties["Rule"].Value == "foreign-key-without-index");
    }
}
