using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Repair;
using TradingBot.Migrations.Engine.Status;
using EngineState = TradingBot.Migrations.Engine.Status.MigrationState;

namespace TradingBot.Migrations.Completion;

/// <summary>
/// Completes Repair-Migration -Version from the status the database has (read-only, as Get-MigrationStatus reads it): with
/// -Action typed, only the versions that action can repair (a Failed or Pending one for MarkApplied, one with a history row
/// for MarkRolledBack, a Modified one for UpdateChecksum), so Tab never offers a version the cmdlet would refuse; without
/// it, every version, Failed and Modified ones first. When the database cannot be read, the versions of the files.
/// </summary>
public sealed class RepairVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(fakeBoundParameters);
        var matches = CompletionWord.Matcher(wordToComplete);
        var status = context.ReadStatus();
        if (status is null)
        {
            return context.FileVersions().OrderByDescending(v => v)
                .Select(v => new CompletionResult(v.Text, v.Text, CompletionResultType.ParameterValue, $"migration {v.Text} (status not read)"))
                .Where(matches).ToList();
        }

        var action = Action(fakeBoundParameters?["Action"]);
        return status
            .Where(entry => action is null || MigrationUseCases.CanRepair(action.Value, entry))
            .OrderBy(entry => entry.State is EngineState.Failed or EngineState.Modified ? 0 : 1)
            .ThenByDescending(entry => entry.Version)
            .Select(entry => new CompletionResult(entry.Version.Text, $"{entry.Version.Text} ({entry.State})", CompletionResultType.ParameterValue,
                $"{entry.Version.Text} {entry.Name}: {entry.State}"))
            .Where(matches).ToList();
    }

    private static RepairAction? Action(object? bound) => bound switch
    {
        MigrationRepairAction action => action.ToEngine(),
        string text when Enum.TryParse<RepairAction>(text.Trim('\'', '"'), ignoreCase: true, out var action) => action,
        _ => null,
    };
}
