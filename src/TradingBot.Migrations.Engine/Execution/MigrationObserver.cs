using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Execution;

public enum StepOutcome
{
    Succeeded,

    /// <summary>Another run did this step first (seen inside this step's transaction); nothing was done.</summary>
    Skipped,
    Failed,
}

public sealed record StepResult(PlannedStep Step, StepOutcome Outcome, DateTime StartedAtUtc, TimeSpan Duration);

/// <summary>What the migrator tells its caller as it goes: the cmdlets turn it into progress, verbose lines and objects.</summary>
public interface IMigrationObserver : IStatementObserver
{
    void StepStarting(PlannedStep step, int index, int count);

    void StepFinished(StepResult result);

    /// <summary>Stop before the next migration (a fleet's other target failed): checked between migrations, never inside one.</summary>
    bool StopRequested => false;
}

/// <summary>Observes nothing: for callers that only want the results.</summary>
internal sealed class NullMigrationObserver : IMigrationObserver
{
    public static readonly NullMigrationObserver Instance = new();

    public bool WantsStatementTiming => false;

    public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
    {
    }

    public void StepStarting(PlannedStep step, int index, int count)
    {
    }

    public void StepFinished(StepResult result)
    {
    }
}
