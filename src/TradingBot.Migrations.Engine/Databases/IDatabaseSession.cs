using System.Data.Common;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// One open connection to one database: everything the engine needs a dialect to do. Each dialect
/// implements it in its own folder, and dialect differences live there and nowhere else.
/// </summary>
internal interface IDatabaseSession : IDisposable
{
    DatabaseTarget Target { get; }

    SqlDialect Dialect { get; }

    /// <summary>The history table, read and written on this session's connection.</summary>
    HistoryStore History { get; }

    /// <summary>Serialises runs against this database; disposing the result releases it.</summary>
    IDisposable AcquireRunLock(TimeSpan timeout, CancellationToken cancellation);

    /// <summary>Runs migration steps on this session's connection.</summary>
    IStepExecutor Steps { get; }

    /// <summary>
    /// Changes one history row as Repair-Migration asks (Applied with a checksum, or deleted) and writes who did it to
    /// the repair log, in one transaction. Runs no script.
    /// </summary>
    void RepairHistory(HistoryRepair repair, CancellationToken cancellation);

    /// <summary>Runs <paramref name="write"/>'s history changes in one write transaction, committed when it returns. Runs no script.</summary>
    void WriteHistory(Action<DbTransaction> write, CancellationToken cancellation);

    /// <summary>Schema facts for the live safety checks.</summary>
    ISchemaInspector Schema { get; }

    /// <summary>The whole schema in canonical form (Export-MigrationSchema, drift).</summary>
    ISchemaReader SchemaReader { get; }

    /// <summary>Whether a run holds the run lock now (a look, never a wait; false where it cannot tell).</summary>
    bool RunInProgress(CancellationToken cancellation);

    /// <summary>Drops an index <see cref="ISchemaInspector.InvalidIndexes"/> named, without blocking writes to its table.</summary>
    void DropInvalidIndex(string qualifiedName, CancellationToken cancellation);

    /// <summary>The statement <see cref="DropInvalidIndex"/> sends, for a preview.</summary>
    string DropInvalidIndexStatement(string qualifiedName);
}

/// <summary>Runs migration steps, each with its history change; what -WhatIf and -ScriptPath replace with a recorder.</summary>
internal interface IStepExecutor
{
    SqlDialect Dialect { get; }

    /// <summary>
    /// Runs the statements and the history change in one transaction. Returns false, changing nothing,
    /// when the history shows another run already did this step.
    /// </summary>
    bool RunInTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation);

    /// <summary>
    /// Runs the statements one by one outside a transaction, then writes the history change. On
    /// failure it records the migration as Failed with the statement it stopped at, and rethrows.
    /// </summary>
    void RunWithoutTransaction(StepScript script, HistoryChange change, IStatementObserver observer, CancellationToken cancellation);

    /// <summary>Opens a transaction for a PowerShell migration; the caller commits it with its history change.</summary>
    IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation);

    /// <summary>The ability to send several transactional steps at once, where the database has it; otherwise null.</summary>
    IStepPipeline? Pipeline { get; }
}

/// <summary>
/// The statements of one script, split, with where they came from, the timeouts that apply, which way it goes and whether
/// it runs in a transaction (the last two only shape what a failure tells the user to do).
/// </summary>
internal sealed record StepScript(
    string Version, string Name, string FilePath, IReadOnlyList<SqlStatement> Statements, string? LockTimeout, string? StatementTimeout,
    MigrationDirection Direction = MigrationDirection.Up, bool InTransaction = true, Execution.LockRetry? LockRetry = null);

/// <summary>Told about each statement when the caller wants per-statement timing (verbose output).</summary>
public interface IStatementObserver
{
    bool WantsStatementTiming { get; }

    void StatementExecuted(SqlStatement statement, TimeSpan elapsed);

    /// <summary>A lock timeout is being retried (a migration, or one statement outside a transaction): what, and when.</summary>
    void Retrying(string message)
    {
    }
}

/// <summary>A transaction a PowerShell migration runs SQL in.</summary>
internal interface IMigrationTransaction : IDisposable
{
    int Execute(string sql, IReadOnlyDictionary<string, object?>? parameters);

    IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, object?>? parameters);

    object? Scalar(string sql, IReadOnlyDictionary<string, object?>? parameters);

    /// <summary>Writes the history change and commits. Returns false (rolling back) if another run already did the step.</summary>
    bool Commit(HistoryChange change);
}
