using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Turns migrator events into a progress bar, verbose lines and result objects, as they happen, on
/// the pipeline thread (the migrator runs synchronously inside ProcessRecord/EndProcessing).
/// </summary>
/// <remarks>
/// In a fleet, one observer per target runs on a worker thread (the cmdlet's runtime sends its calls to the pipeline
/// thread): there it shows no progress bar of its own (the fleet's counts targets), names its target in verbose lines,
/// and passes on the fleet's request to stop between migrations.
/// </remarks>
internal sealed class CmdletMigrationObserver(PSCmdlet cmdlet, DatabaseTarget target, string activity, bool plain = false,
    bool showProgress = true, bool? statementTiming = null, Func<bool>? stopRequested = null) : IMigrationObserver
{
    private const int ProgressId = 1;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly string prefix = showProgress ? string.Empty : target.DisplayName + ": ";

    public bool WantsStatementTiming { get; } = statementTiming ?? VerboseWanted(cmdlet);

    public bool StopRequested => stopRequested?.Invoke() ?? false;

    /// <summary>Whether -Verbose (or $VerbosePreference) asks for each statement's timing; read on the pipeline thread.</summary>
    public static bool VerboseWanted(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose) ? ((SwitchParameter)verbose).IsPresent
        : cmdlet.SessionState.PSVariable.GetValue("VerbosePreference") is ActionPreference.Continue or ActionPreference.Inquire;

    public void StepStarting(PlannedStep step, int index, int count)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (showProgress)
        {
            WriteProgress(step, index, count, elapsed);
        }

        cmdlet.WriteVerbose($"{prefix}{(step.Direction == Engine.Planning.MigrationDirection.Up ? "Applying" : "Rolling back")} {step.Migration.Version} {step.Migration.Name} ({step.Script.FileName}{(step.RunsInTransaction ? string.Empty : ", outside a transaction")})");
    }

    private void WriteProgress(PlannedStep step, int index, int count, TimeSpan elapsed) =>
        cmdlet.WriteProgress(new ProgressRecord(ProgressId, activity,
            string.Create(CultureInfo.InvariantCulture, $"Migration {index + 1} of {count}: {step.Migration.Version} {step.Migration.Name} ({elapsed.TotalSeconds:0.0} s elapsed)"))
        {
            PercentComplete = count == 0 ? 100 : index * 100 / count,
            CurrentOperation = step.Script.FileName,
        });

    public void StatementExecuted(SqlStatement statement, TimeSpan elapsed)
    {
        var firstLine = statement.Text.Split('\n', 2)[0];
        cmdlet.WriteVerbose(string.Create(CultureInfo.InvariantCulture, $"  {elapsed.TotalMilliseconds,8:0.0} ms  line {statement.Line}: {(firstLine.Length > 100 ? firstLine[..100] + "..." : firstLine)}"));
    }

    public void Retrying(string message) => cmdlet.WriteVerbose(message);

    public void StepFinished(StepResult result)
    {
        var output = OutputMapper.ToResult(result, target);
        if (result.Outcome == StepOutcome.Skipped)
        {
            cmdlet.WriteVerbose($"{prefix}{result.Step.Migration.Version} was already done by another run; skipped.");
        }

        cmdlet.WriteObject(plain ? PlainRecord.From(output) : output);
    }

    public void Complete()
    {
        if (showProgress)
        {
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
