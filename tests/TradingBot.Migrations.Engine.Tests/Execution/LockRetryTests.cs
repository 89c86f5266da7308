using System.Data.Common;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>
/// A migration stopped by its lock_timeout (lock_not_available) is tried again with backoff when asked, its attempts in the
/// history row; another session holds the conflicting lock, and lets go when the migrator announces a retry (no clock).
/// </summary>
public sealed class LockRetryTests : EngineTestBase
{
    [RequiresPostgresFact]
    public void A_migration_blocked_by_a_lock_succeeds_once_the_holder_lets_go_and_records_its_attempts()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Table("1", "trades").Sql("2", "add_note", "ALTER TABLE trades ADD COLUMN note text;\n");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1")));
        using var holder = HoldLock(db, "trades");
        var observer = new ReleasingObserver(holder);

        var results = Migrate(db, observer, retries: 5);

        Assert.Equal(StepOutcome.Succeeded, Assert.Single(results).Outcome);
        Assert.Single(observer.Retries);
        Assert.Contains("attempt 1 of 6", observer.Retries[0], StringComparison.Ordinal);
        Assert.Equal(2, db.History(Folder).Single(r => r.Version == "2").Attempts);
        Assert.Equal(1, db.History(Folder).Single(r => r.Version == "1").Attempts);
    }

    [RequiresPostgresFact]
    public void A_migration_still_blocked_after_its_retries_fails_naming_the_attempts_and_changes_nothing()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Table("1", "trades").Sql("2", "add_note", "ALTER TABLE trades ADD COLUMN note text;\n");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1")));
        using var holder = HoldLock(db, "trades");
        var observer = new ReleasingObserver(null);

        var error = Assert.Throws<MigrationException>(() => Migrate(db, observer, retries: 2));

        Assert.True(error.LockNotAvailable);
        Assert.Contains("Gave up after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, observer.Retries.Count);
        Assert.Equal(["1"], db.History(Folder).Select(r => r.Version));
    }

    [RequiresPostgresFact]
    public void Outside_a_transaction_only_the_statement_that_timed_out_runs_again()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Table("1", "trades").Sql("2", "add_notes", "-- transaction: none\nCREATE TABLE IF NOT EXISTS audit (id int);\nALTER TABLE trades ADD COLUMN IF NOT EXISTS note text;\n");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1")));
        using var holder = HoldLock(db, "trades");
        var observer = new ReleasingObserver(holder);

        Migrate(db, observer, retries: 3);

        Assert.Contains("line 3", Assert.Single(observer.Retries), StringComparison.Ordinal);
        Assert.Equal(2, db.History(Folder).Single(r => r.Version == "2").Attempts);
    }

    [RequiresPostgresFact]
    public void A_concurrent_index_build_that_timed_out_is_not_repeated()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Table("1", "trades").Sql("2", "index", "-- transaction: none\nCREATE INDEX CONCURRENTLY IF NOT EXISTS trades_id ON trades (id);\n");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1")));
        using var holder = HoldLock(db, "trades");
        var observer = new ReleasingObserver(holder);

        var error = Assert.Throws<MigrationException>(() => Migrate(db, observer, retries: 3));

        Assert.True(error.LockNotAvailable);
        Assert.Empty(observer.Retries);
    }

    [RequiresPostgresFact]
    public void No_other_error_is_retried()
    {
        var db = Database(SqlDialect.PostgreSql);
        Folder.Table("1", "trades").Sql("2", "bad", "ALTER TABLE trades ADD COLUMN id text;\n");
        var observer = new ReleasingObserver(null);

        var error = Assert.Throws<MigrationException>(() => Migrate(db, observer, retries: 3));

        Assert.False(error.LockNotAvailable);
        Assert.Empty(observer.Retries);
    }

    [Theory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public void A_history_table_from_before_attempts_is_read_as_one_attempt_each_and_upgraded_by_the_next_run(SqlDialect dialect)
    {
        var db = Database(dialect);
        Folder.Table("1", "trades").Table("2", "orders");
        db.Migrate(Folder, new UpOptions(TargetVersion: V("1")));
        db.Execute("ALTER TABLE schema_migrations DROP COLUMN attempts"); // as a table made before the column was
        Assert.DoesNotContain("attempts", Columns(db), StringComparer.OrdinalIgnoreCase);

        Assert.Equal(1, Assert.Single(db.History(Folder)).Attempts);

        db.Migrate(Folder);

        Assert.Equal([1, 1], db.History(Folder).Select(r => r.Attempts));
        Assert.Contains("attempts", Columns(db), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(2, db.Count("SELECT count(*) FROM schema_migrations WHERE attempts = 1"));
    }

    private IReadOnlyList<StepResult> Migrate(TestDatabase db, IMigrationObserver observer, int retries)
    {
        using var engine = db.Open(Folder, s => s with { DefaultLockTimeout = "200ms", LockRetries = retries });
        return engine.Migrate(new UpOptions(), observer, null, CancellationToken.None);
    }

    private static List<string> Columns(TestDatabase db)
    {
        using var connection = db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM schema_migrations WHERE 1 = 0";
        using var reader = command.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    private static DbTransaction HoldLock(TestDatabase db, string table)
    {
        var connection = db.Connect();
        var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE";
        command.ExecuteNonQuery();
        return transaction;
    }

    private sealed class ReleasingObserver(DbTransaction? holder) : IMigrationObserver
    {
        public List<string> Retries { get; } = [];

        public bool WantsStatementTiming => false;

        public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
        {
        }

        public void Retrying(string message)
        {
            Retries.Add(message);
            if (holder?.Connection is { } connection)
            {
                holder.Rollback();
                connection.Dispose();
            }
        }

        public void StepStarting(PlannedStep step, int index, int count)
        {
        }

        public void StepFinished(StepResult result)
        {
        }
    }
}
