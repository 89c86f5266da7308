namespace TradingBot.Migrations.Engine.Tests.Execution;

/// <summary>The migrator's step events in order ("start 1", "Succeeded 1", ...), for tests of steps run together.</summary>
/// <remarks><paramref name="firstStepStarting"/> runs once, as the first step starts (a test's cancel can start its clock there).</remarks>
internal sealed class StepEventLog(Action? firstStepStarting = null) : IMigrationObserver
{
    private Action? firstStepStarting = firstStepStarting;

    public List<string> Events { get; } = [];

    public bool WantsStatementTiming => false;

    public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
    {
    }

    public void StepStarting(PlannedStep step, int index, int count)
    {
        Interlocked.Exchange(ref firstStepStarting, null)?.Invoke();
        Events.Add($"start {step.Migration.Version}");
    }

    public void StepFinished(StepResult result) => Events.Add($"{result.Outcome} {result.Step.Migration.Version}");
}
