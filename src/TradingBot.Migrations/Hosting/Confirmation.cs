using System.Management.Automation;
using System.Reflection;
using TradingBot.Migrations.Engine;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Whether a cmdlet is about to ask for confirmation in a session that cannot answer, so it can refuse with its own error
/// before touching anything, instead of PowerShell's "NonInteractive mode" error in the middle of the run.
/// </summary>
internal static class Confirmation
{
    /// <summary>Whether someone can answer a prompt: a host with a UI, not started with -NonInteractive, input not redirected.</summary>
    public static bool CanAsk(PSCmdlet cmdlet) =>
        cmdlet.Host?.UI is not null && !Console.IsInputRedirected && !StartedNonInteractive();

    /// <summary>
    /// Throws when ShouldProcess would prompt (as PowerShell decides it: -Confirm, else ConfirmImpact against
    /// $ConfirmPreference, unless -Force or -WhatIf) and nobody can answer. <paramref name="nothingDone"/> ends the message.
    /// </summary>
    public static void RefuseIfUnanswerable(PSCmdlet cmdlet, bool force, string nothingDone)
    {
        var impact = cmdlet.GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;
        if (!WouldAsk(cmdlet, impact, force, out var askedExplicitly) || CanAsk(cmdlet))
        {
            return;
        }

        var name = cmdlet.MyInvocation.MyCommand.Name;
        var why = askedExplicitly ? "was given -Confirm" : $"asks before it acts (ConfirmImpact {impact}, $ConfirmPreference {Preference(cmdlet)})";
        throw new MigrationException(MigrationErrors.NonInteractiveConfirmation,
            $"{name} {why}, and this session cannot answer: it is non-interactive (pwsh -NonInteractive or redirected input, as in CI). {nothingDone}")
        {
            RecommendedAction = askedExplicitly
                ? "Leave out -Confirm in a non-interactive session (-Confirm asks even with -Force); preview with -WhatIf."
                : $"Pass {(HasForce(cmdlet) ? "-Force or " : string.Empty)}-Confirm:$false when it is intended; preview it first with -WhatIf.",
        };
    }

    private static bool WouldAsk(PSCmdlet cmdlet, ConfirmImpact impact, bool force, out bool askedExplicitly)
    {
        askedExplicitly = false;
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (IsWhatIf(cmdlet))
        {
            return false;
        }

        if (IsOn(bound, "Confirm") is { } confirm)
        {
            askedExplicitly = confirm;
            return confirm;
        }

        var preference = Preference(cmdlet);
        return !force && preference != ConfirmImpact.None && impact >= preference;
    }

    /// <summary>Whether -WhatIf is in effect: given on the command, else $WhatIfPreference.</summary>
    public static bool IsWhatIf(PSCmdlet cmdlet) =>
        IsOn(cmdlet.MyInvocation.BoundParameters, "WhatIf") ?? (cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true);

    private static bool? IsOn(Dictionary<string, object> bound, string name) =>
        bound.TryGetValue(name, out var value) ? value is SwitchParameter { IsPresent: true } or true : null;

    private static ConfirmImpact Preference(PSCmdlet cmdlet) =>
        LanguagePrimitives.TryConvertTo(cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference"), out ConfirmImpact preference)
            ? preference : ConfirmImpact.High;

    private static bool HasForce(PSCmdlet cmdlet) => cmdlet.MyInvocation.MyCommand.Parameters.ContainsKey("Force");

    private static bool StartedNonInteractive() =>
        System.Environment.GetCommandLineArgs().Any(a =>
            a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--noni", StringComparison.OrdinalIgnoreCase));
}
