using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace TradingBot.Migrations.Host;

/// <summary>
/// Just enough of a PowerShell host for a command-line tool: -WhatIf lines and Write-Host reach the
/// console, and a confirmation prompt is answered from stdin when there is one, or refused with a
/// message that says to pass -Force or -Confirm:$false.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly Guid id = Guid.NewGuid();
    private readonly ConsoleUserInterface ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId => id;

    public override string Name => "tbm";

    public override PSHostUserInterface UI => ui;

    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 1);

    public override void EnterNestedPrompt() => throw new NotSupportedException("tbm has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("tbm has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class ConsoleUserInterface : PSHostUserInterface
    {
        public override PSHostRawUserInterface? RawUI => null;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw NonInteractive(message);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (Console.IsInputRedirected)
            {
                throw NonInteractive(message);
            }

            Console.Error.WriteLine(caption);
            Console.Error.Write($"{message} [{string.Join('/', choices.Select(c => c.Label.Replace("&", string.Empty, StringComparison.Ordinal)))}] ");
            var answer = Console.ReadLine()?.Trim() ?? string.Empty;
            for (var i = 0; i < choices.Count; i++)
            {
                var label = choices[i].Label;
                var hotkey = label.IndexOf('&', StringComparison.Ordinal) is var at and >= 0 && at + 1 < label.Length ? label[at + 1].ToString() : label[..1];
                if (answer.Equals(hotkey, StringComparison.OrdinalIgnoreCase) || answer.Equals(label.Replace("&", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return answer.Length == 0 ? defaultChoice : -1;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NonInteractive(message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw NonInteractive(message);

        public override string ReadLine() => Console.ReadLine() ?? string.Empty;

        public override SecureString ReadLineAsSecureString() => throw NonInteractive("a secure string");

        public override void Write(string value) => Console.Write(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(value);

        public override void WriteLine(string value) => Console.WriteLine(value);

        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);

        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);

        private static PSInvalidOperationException NonInteractive(string what) =>
            new($"tbm cannot ask '{what}' without a console: pass -Force or -Confirm:$false to go ahead.");
    }
}
