using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Schema;
using TradingBot.Migrations.Engine.Tests.Support;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// Test-MigrationSafety -Trace on a real PostgreSQL: the locks, rewrites and scans each pending statement causes on a scratch
/// copy, the static findings confirmed or refuted, and the scratch database gone afterwards whatever happened. In the scratch
/// databases' collection, so counting what is left over sees no other class's.
/// </summary>
[Collection("Scratch databases")]
public sealed class LockTraceTests
{
    private const string Schema = """
        CREATE TABLE customers (id integer PRIMARY KEY);
        CREATE TABLE trades (id integer PRIMARY KEY, customer_id integer, symbol text, note varchar(50));
        INSERT INTO customers SELECT g FROM generate_series(1, 2000) g;
        INSERT INTO trades SELECT g, g, 'T' || g, 'n' FROM generate_series(1, 2000) g;

        """;

    [Fact]
    public void A_volatile_default_rewrites_the_table_under_an_access_exclusive_lock_and_the_finding_is_confirmed_with_a_wait()
    {
        var (result, _) = Trace("ALTER TABLE trades ADD COLUMN token double precision DEFAULT random();\n");

        var statement = Assert.Single(result.Traces);
        Assert.Equal("1.0.1", statement.Version);
        Assert.Contains(new TracedLock("trades", "AccessExclusiveLock"), statement.Locks.Select(Plain));
        Assert.True(statement.RewroteTable);
        Assert.Equal(["trades"], statement.RewrittenTables);
        var finding = Assert.Single(result.Findings, f => f.Rule == "volatile-default");
        Assert.Equal(TraceVerdict.Confirmed, finding.Trace);
        Assert.NotNull(finding.EstimatedWait);
        Assert.Contains("Trace: confirmed, AccessExclusiveLock on trades, rewrote it", finding.Message, StringComparison.Ordinal);
        Assert.Contains("its reads and writes would wait about", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_not_null_scans_the_table_under_an_access_exclusive_lock_without_rewriting_it()
    {
        var (result, _) = Trace("ALTER TABLE trades ALTER COLUMN symbol SET NOT NULL;\n");

        var statement = Assert.Single(result.Traces);
        Assert.Contains(new TracedLock("trades", "AccessExclusiveLock"), statement.Locks.Select(Plain));
        Assert.False(statement.RewroteTable);
        Assert.Equal(["trades"], statement.ScannedTables);
        Assert.Equal(TraceVerdict.Confirmed, Assert.Single(result.Findings, f => f.Rule == "set-not-null").Trace);
    }

    [Fact]
    public void Create_index_takes_a_share_lock_and_the_finding_is_confirmed()
    {
        var (result, _) = Trace("CREATE INDEX trades_symbol_idx ON trades (symbol);\n");

        var statement = Assert.Single(result.Traces);
        Assert.Equal("ShareLock", Assert.Single(statement.Locks, l => l.Relation == "trades" && l.BlocksTraffic).Mode);
        Assert.False(statement.RewroteTable);
        Assert.Equal(TraceVerdict.Confirmed, Assert.Single(result.Findings, f => f.Rule == "create-index-non-concurrently").Trace);
        Assert.DoesNotContain(result.Findings, f => f.Rule == TraceVerdicts.UnpredictedLock);
    }

    [Fact]
    public void Create_index_concurrently_without_a_transaction_takes_no_lock_that_blocks_traffic()
    {
        var (result, scratchIndexes) = Trace("-- transaction: none\nCREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);\n");

        var statement = Assert.Single(result.Traces);
        Assert.False(statement.InTransaction);
        Assert.DoesNotContain(statement.Locks, l => l.BlocksTraffic);
        Assert.All(statement.Locks, l => Assert.Equal("trades", l.Relation));
        Assert.DoesNotContain(result.Findings, f => f.Rule is TraceVerdicts.UnpredictedLock or "create-index-non-concurrently");
        Assert.Equal(0, scratchIndexes);
    }

    [Fact]
    public void A_foreign_key_locks_the_referenced_table_too_which_no_rule_predicts()
    {
        var (result, _) = Trace("ALTER TABLE trades ADD CONSTRAINT trades_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n");

        var statement = Assert.Single(result.Traces);
        Assert.Contains(new TracedLock("customers", "ShareRowExclusiveLock"), statement.Locks.Select(Plain));
        Assert.Contains(new TracedLock("trades", "ShareRowExclusiveLock"), statement.Locks.Select(Plain));
        var unpredicted = Assert.Single(result.Findings, f => f.Rule == TraceVerdicts.UnpredictedLock);
        Assert.Equal(1, unpredicted.Line);
        Assert.StartsWith("took ShareRowExclusiveLock on customers, which the rules did not predict: it blocks writes", unpredicted.Message, StringComparison.Ordinal);
        Assert.NotNull(unpredicted.EstimatedWait);
    }

    [Fact]
    public void A_type_change_the_linter_thinks_rewrites_is_refuted_when_postgresql_keeps_the_table()
    {
        var (result, _) = Trace("ALTER TABLE trades ALTER COLUMN note TYPE varchar(200) USING note;\n");

        var statement = Assert.Single(result.Traces);
        Assert.False(statement.RewroteTable);
        var finding = Assert.Single(result.Findings, f => f.Rule == "change-column-type");
        Assert.Equal(TraceVerdict.Refuted, finding.Trace);
        Assert.Null(finding.EstimatedWait);
        Assert.Contains("Trace: refuted, AccessExclusiveLock on trades, no rewrite", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_pending_migrations_are_traced_on_what_the_earlier_ones_made_and_a_table_made_in_the_same_migration_is_new()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "schema", Schema)
            .Sql("1.0.1", "fills", "CREATE TABLE fills (id integer PRIMARY KEY, trade_id integer);\nCREATE INDEX fills_id_idx ON fills (id);\n")
            .Sql("1.0.2", "fills_index", "CREATE INDEX fills_trade_idx ON fills (trade_id);\n");
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder, new UpOptions(MigrationVersion.Parse("1.0.0")));

        var result = Check(database, folder);

        Assert.Equal(["1.0.1", "1.0.1", "1.0.2"], result.Traces.Select(t => t.Version));
        Assert.False(result.Traces[1].HeldLocks.Single(l => l.Relation == "fills" && l.Mode == "ShareLock").ExistedBefore);
        Assert.True(result.Traces[2].Locks.Single(l => l.Relation == "fills" && l.Mode == "ShareLock").ExistedBefore);
        Assert.Equal(TraceVerdict.Confirmed, Assert.Single(result.Findings, f => f.Rule == "create-index-non-concurrently").Trace);
        Assert.DoesNotContain(result.Findings, f => f.Rule == TraceVerdicts.UnpredictedLock);
    }

    [Fact]
    public void The_target_is_untouched_its_schema_and_history_the_same_and_the_scratch_database_dropped()
    {
        using var target = SchemaApplied("ALTER TABLE trades ADD COLUMN token double precision DEFAULT random();\nCREATE INDEX trades_symbol_idx ON trades (symbol);\n");
        var (folder, database) = (target.Folder, target.Database);
        var schema = SchemaExportTests.Export(database, folder).ToText();
        var history = database.History(folder).Select(h => $"{h.Version} {h.Checksum} {h.AppliedAtUtc:O}").ToList();
        var scratch = ScratchDatabases.Names();

        var result = Check(database, folder);

        Assert.Equal(2, result.Traces.Count);
        Assert.Equal(schema, SchemaExportTests.Export(database, folder).ToText());
        Assert.Equal(history, database.History(folder).Select(h => $"{h.Version} {h.Checksum} {h.AppliedAtUtc:O}"));
        Assert.Equal(2000L, database.Count("SELECT count(*) FROM trades"));
        ScratchDatabases.AssertNoneLeft(scratch);
    }

    [Fact]
    public void A_statement_that_fails_on_the_scratch_copy_fails_the_trace_naming_it_and_the_scratch_database_is_dropped()
    {
        using var target = SchemaApplied("ALTER TABLE trades ADD COLUMN token integer;\nALTER TABLE no_such_table ADD COLUMN x integer;\n");
        var (folder, database) = (target.Folder, target.Database);
        var scratch = ScratchDatabases.Names();

        var error = Assert.Throws<MigrationException>(() => Check(database, folder));

        Assert.Equal("TraceFailed", error.ErrorId);
        Assert.Equal(("1.0.1", 2), (error.Version, error.Line));
        Assert.Contains("42P01", error.Message, StringComparison.Ordinal);
        ScratchDatabases.AssertNoneLeft(scratch);
    }

    [Fact]
    public void Cancelling_a_trace_mid_statement_drops_its_scratch_database()
    {
        using var target = SchemaApplied("SELECT pg_sleep(60);\n");
        var (folder, database) = (target.Folder, target.Database);
        var scratch = ScratchDatabases.Names();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.CheckSafety(
            SafetyCheckRequest.OfDatabase(database.Settings(folder)) with { Trace = true }, cancellation.Token));

        Assert.Equal(MigrationErrorKind.Canceled, error.Kind);
        ScratchDatabases.AssertNoneLeft(scratch);
    }

    [Fact]
    public void Trace_needs_a_database()
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");

        var error = Assert.Throws<MigrationException>(() => MigrationUseCases.CheckSafety(
            SafetyCheckRequest.OfFiles(folder.Path, null, SqlDialect.PostgreSql) with { Trace = true }, CancellationToken.None));

        Assert.Equal("TraceWithoutDatabase", error.ErrorId);
    }

    [Fact]
    public void On_sqlite_the_trace_says_which_statements_scan_and_which_rebuild_a_table()
    {
        using var folder = new MigrationFolder()
            .Sql("1.0.0", "schema", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT, fee REAL);\nINSERT INTO trades (symbol, fee) VALUES ('a', 1), ('b', 2);\n")
            .Sql("1.0.1", "rebuild", """
                CREATE INDEX trades_symbol_idx ON trades (symbol);
                ALTER TABLE trades ADD COLUMN note TEXT;
                CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, fee REAL);
                INSERT INTO trades_new SELECT id, symbol, fee FROM trades;
                DROP TABLE trades;
                ALTER TABLE trades_new RENAME TO trades;
                """);
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        database.Migrate(folder, new UpOptions(MigrationVersion.Parse("1.0.0")));

        var traces = Check(database, folder).Traces;

        Assert.Equal([1, 2, 3, 4, 5, 6], traces.Select(t => t.Line));
        Assert.Equal(["trades"], traces[0].ScannedTables);
        Assert.Empty(traces[1].ScannedTables);
        Assert.Equal(["trades"], traces[3].ScannedTables);
        Assert.Equal([false, false, false, false, false, true], traces.Select(t => t.RewroteTable));
        Assert.Equal(["trades"], traces[5].RewrittenTables);
        Assert.All(traces, t => Assert.Empty(t.Locks));
        Assert.Equal(2L, database.Count("SELECT count(*) FROM trades"));
        Assert.Equal(0L, database.Count("SELECT count(*) FROM sqlite_schema WHERE name = 'trades_symbol_idx'"));
    }

    [Fact]
    public void On_sqlite_the_trace_runs_on_a_copy_of_the_target_with_its_rows_and_removes_the_copy()
    {
        using var folder = new MigrationFolder()
            .Sql("1.0.0", "schema", "CREATE TABLE trades (id INTEGER PRIMARY KEY, fee REAL);\nINSERT INTO trades (fee) VALUES (1), (1);\n")
            .Sql("1.0.1", "unique_fee", "CREATE UNIQUE INDEX trades_fee ON trades (fee);\n");
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        database.Migrate(folder, new UpOptions(MigrationVersion.Parse("1.0.0")));
        var copies = Directory.GetDirectories(Path.GetTempPath(), "tbm-scratch-*").Length;

        var error = Assert.Throws<MigrationException>(() => Check(database, folder));

        Assert.Equal("TraceFailed", error.ErrorId);
        Assert.Contains("UNIQUE constraint failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(copies, Directory.GetDirectories(Path.GetTempPath(), "tbm-scratch-*").Length);
        Assert.Equal(["1.0.0"], database.History(folder).Select(h => h.Version));
    }

    [Fact]
    public void A_wait_scales_the_scratch_duration_by_the_live_size_only_for_a_table_the_statement_worked_through()
    {
        var rewrite = new TracedStatement
        {
            Version = "1", Line = 1, Statement = "s", Duration = TimeSpan.FromMilliseconds(2), Locks = [], RewrittenTables = ["trades"],
        };
        var held = new TracedLock("trades", "AccessExclusiveLock", true, 8192);
        var live = new Databases.TableSize("trades", 1000, 8192L * 1000);

        Assert.Equal(TimeSpan.FromSeconds(2), TraceVerdicts.EstimateWait(rewrite, held, live));
        Assert.Equal(TimeSpan.FromMilliseconds(2), TraceVerdicts.EstimateWait(rewrite with { RewrittenTables = [] }, held, live));
        Assert.Equal(TimeSpan.FromMilliseconds(2), TraceVerdicts.EstimateWait(rewrite, held, live with { Bytes = 100 }));
    }

    private static TracedLock Plain(TracedLock traced) => new(traced.Relation, traced.Mode);

    // A fresh target with the schema (1.0.0) applied and one pending migration.
    private static AppliedTarget SchemaApplied(string pending)
    {
        var folder = new MigrationFolder().Sql("1.0.0", "schema", Schema).Sql("1.0.1", "pending", pending);
        var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder, new UpOptions(MigrationVersion.Parse("1.0.0")));
        return new AppliedTarget(folder, database);
    }

    private sealed record AppliedTarget(MigrationFolder Folder, TestDatabase Database) : IDisposable
    {
        public void Dispose()
        {
            Database.Dispose();
            Folder.Dispose();
        }
    }

    // The schema applied on a fresh target, one pending migration traced; the scratch databases must be as before.
    private static (SafetyCheckResult Result, long ScratchIndexes) Trace(string pending)
    {
        using var target = SchemaApplied(pending);
        var (folder, database) = (target.Folder, target.Database);
        var before = ScratchDatabases.Names();
        var result = Check(database, folder);
        ScratchDatabases.AssertNoneLeft(before);
        return (result, database.Count("SELECT count(*) FROM pg_indexes WHERE indexname = 'trades_symbol_idx'"));
    }

    private static SafetyCheckResult Check(TestDatabase database, MigrationFolder folder) =>
        MigrationUseCases.CheckSafety(SafetyCheckRequest.OfDatabase(database.Settings(folder)) with { Trace = true }, CancellationToken.None);
}
