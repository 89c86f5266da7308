using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>Test-MigrationSafety -Trace in a hosted runspace: the traced statements and the checked findings as pwsh sees them.</summary>
public sealed class SafetyTraceCmdletTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public SafetyTraceCmdletTests()
    {
        session = new PowerShellSession(folder.Path);
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [RequiresPostgresFact]
    public void Trace_emits_each_statement_with_its_locks_and_checks_the_lock_findings_against_them()
    {
        var url = PostgresCluster.UrlFor(PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("safety_trace")));
        folder.Write("1.0.1__schema.up.sql", """
            CREATE TABLE accounts (id bigint PRIMARY KEY);
            CREATE TABLE trades (id bigint PRIMARY KEY, account_id bigint, symbol text);
            INSERT INTO accounts SELECT g FROM generate_series(1, 10) g;
            INSERT INTO trades SELECT g, g % 10 + 1, 'S' FROM generate_series(1, 5000) g;
            """);
        session.Run($"Invoke-Migration -Database '{url}'").ThrowOnError();
        folder.Write("1.0.2__token.up.sql", """
            ALTER TABLE trades ADD COLUMN token double precision DEFAULT random();
            ALTER TABLE trades ADD CONSTRAINT trades_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
            """);

        var output = session.Run($$"""
            $all = Test-MigrationSafety -Database '{{url}}' -Trace
            $traced = @($all | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] })
            $volatile = $all | Where-Object Rule -eq 'volatile-default'
            $unpredicted = $all | Where-Object Rule -eq 'unpredicted-lock'
            $traced.Count
            ($traced[0].Locks | Where-Object Relation -eq 'trades').Mode -join ','
            $traced[0].RewroteTable
            $traced[0].Duration -is [timespan]
            $traced[0].Version -is [TradingBot.Migrations.MigrationVersion]
            $volatile.Trace
            $volatile.EstimatedWait -is [timespan]
            $unpredicted.Line
            """).ThrowOnError().Output.Select(o => o.BaseObject.ToString()).ToList();

        Assert.Equal(["2", "AccessExclusiveLock,ShareLock", "True", "True", "True", "Confirmed", "True", "2"], output);
    }

    [Fact]
    public void Trace_on_sqlite_shows_the_statement_that_scans_the_table()
    {
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);\n");
        session.Run("Invoke-Migration -Database sqlite:./dev.db").ThrowOnError();
        folder.Write("1.0.2__b.up.sql", "ALTER TABLE a ADD COLUMN note TEXT;\nCREATE INDEX a_name ON a (name);\n");

        var output = session.Run("""
            Test-MigrationSafety -Database sqlite:./dev.db -Trace | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] } |
                ForEach-Object { "$($_.Line) $($_.ScannedTables -join ',') $($_.RewroteTable)" }
            """).ThrowOnError().Output.Select(o => o.BaseObject.ToString()).ToList();

        Assert.Equal(["1  False", "2 a False"], output);
    }

    [RequiresPostgresFact]
    public void TraceServer_of_another_kind_or_naming_the_target_itself_is_refused_before_any_scratch_database_is_made()
    {
        var name = PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("safety_trace_server"));
        var url = PostgresCluster.UrlFor(name);
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\n");
        var scratchBefore = ScratchDatabases.Names();

        var otherKind = session.Run($"Test-MigrationSafety -Database '{url}' -Trace -TraceServer sqlite:./scratch.db");
        var itself = session.Run($"Test-MigrationSafety -Database '{url}' -Trace -TraceServer '{PostgresCluster.ConnectionStringFor(name)}'");

        var kindError = otherKind.Error!;
        Assert.Equal("TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", kindError.FullyQualifiedErrorId);
        Assert.Contains("is Sqlite and the database", kindError.Exception.Message, StringComparison.Ordinal);
        var itselfError = itself.Error!;
        Assert.Equal("TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", itselfError.FullyQualifiedErrorId);
        Assert.Contains("itself", itselfError.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, itself.AllText(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "scratch.db")));
        ScratchDatabases.AssertNoneLeft(scratchBefore);
    }

    [Fact]
    public void TraceServer_is_refused_on_sqlite_and_without_trace_instead_of_being_ignored()
    {
        folder.Write("1.0.1__a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");

        var onSqlite = session.Run("Test-MigrationSafety -Database sqlite:./dev.db -Trace -TraceServer sqlite:./other.db");
        var withoutTrace = session.Run("Test-MigrationSafety -Database sqlite:./dev.db -TraceServer sqlite:./other.db");

        Assert.Equal("TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", onSqlite.Error?.FullyQualifiedErrorId);
        Assert.Contains("an SQLite database has no server", onSqlite.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", withoutTrace.Error?.FullyQualifiedErrorId);
        Assert.Equal("Add -Trace to trace the migrations on that server, or leave -TraceServer out.", withoutTrace.Error!.ErrorDetails.RecommendedAction);
        Assert.False(File.Exists(Path.Combine(folder.Path, "other.db")));
    }
}
