using System.Text;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// The step executor of a preview (-WhatIf, -ScriptPath): the Migrator runs the real plan through it, and it writes
/// what a run would send, as one SQL script, instead of sending it: each step's statements in its transaction (or
/// without one, for <c>-- transaction: none</c>) with the same history statement a run writes, its values inlined.
/// </summary>
internal sealed class RecordingStepExecutor(SqlDialect dialect, HistoryStore history) : IStepExecutor
{
    private readonly StringBuilder script = new();

    public SqlDialect Dialect => dialect;

    // One step at a time: a preview has no round trips to save.
    public IStepPipeline? Pipeline => null;

    public string Script => script.ToString();

    public void Comment(string text) => script.Append("-- ").AppendLine(text);

    /// <summary>A statement the run sends before its steps (dropping an invalid index), with a comment saying why.</summary>
    public void Statement(string why, string sql) => script.Append("-- ").AppendLine(why).AppendLine(sql.TrimEnd().TrimEnd(';') + ";").AppendLine();

    public void HistoryTableCreation() => script.AppendLine(history.DescribeCreation().TrimEnd().TrimEnd(';') + ";").AppendLine();

    public bool RunInTransaction(StepScript step, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(step);
        Header(step);
        script.AppendLine("BEGIN;");
        Statements(step);
        Committed(change);
        return true;
    }

    public void RunWithoutTransaction(StepScript step, HistoryChange change, IStatementObserver observer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(step);
        Header(step);
        Statements(step);
        script.AppendLine(history.DescribeChange(change)).AppendLine();
    }

    public IMigrationTransaction BeginTransaction(string version, CancellationToken cancellation)
    {
        script.Append("-- ").Append(version).AppendLine(": a PowerShell migration; its SQL is decided when it runs.").AppendLine("BEGIN;");
        return new RecordedTransaction(this);
    }

    private void Committed(HistoryChange change) => script.AppendLine(history.DescribeChange(change)).AppendLine("COMMIT;").AppendLine();

    private void Header(StepScript step) =>
        script.Append("-- ").Append(step.Version).Append(' ').Append(step.Name).Append(" (").Append(Path.GetFileName(step.FilePath)).AppendLine(")");

    private void Statements(StepScript step)
    {
        foreach (var statement in step.Statements)
        {
            script.AppendLine(statement.Text.TrimEnd() + ";");
        }
    }

    private sealed class RecordedTransaction(RecordingStepExecutor recorder) : IMigrationTransaction
    {
        public int Execute(string sql, IReadOnlyDictionary<string, object?>? parameters) => 0;

        public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, object?>? parameters) => [];

        public object? Scalar(string sql, IReadOnlyDictionary<string, object?>? parameters) => null;

        public bool Commit(HistoryChange change)
        {
            recorder.Committed(change);
            return true;
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>A preview does not run a PowerShell migration's code: its recorded transaction only notes where it would run.</summary>
internal sealed class PowerShellNotRun : IPowerShellMigrationRunner
{
    public static readonly PowerShellNotRun Instance = new();

    public void Run(Planning.PlannedStep step, MigrationContext context)
    {
    }
}
