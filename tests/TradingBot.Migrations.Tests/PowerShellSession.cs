using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// A real PowerShell engine, hosted in-process, with the built module imported from the repository's
/// manifest as a user would. Each script's six streams are captured for assertions.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace runspace;

    public PowerShellSession(string workingDirectory)
    {
        var state = InitialSessionState.CreateDefault2();
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(workingDirectory));
        Run($"Import-Module '{RepositoryPaths.Manifest}' -ErrorAction Stop").ThrowOnError();
        WorkingDirectory = workingDirectory;
    }

    public string WorkingDirectory { get; }

    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create(runspace);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            runspace.SessionStateProxy.SetVariable(name, value);
        }

        shell.AddScript(script);
        Collection<PSObject> output;
        RuntimeException? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            output = [];
            terminating = e;
        }

        return new ScriptResult(
            output.Where(o => o is not null).ToList(),
            shell.Streams.Error.ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(),
            shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Debug.Select(d => d.Message).ToList(),
            shell.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList(),
            shell.Streams.Progress.ToList(),
            terminating);
    }

    public void Dispose() => runspace.Dispose();
}

public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Information,
    IReadOnlyList<ProgressRecord> Progress,
    RuntimeException? Terminating)
{
    /// <summary>The error that ended the script, or the first error written.</summary>
    public ErrorRecord? Error => Terminating?.ErrorRecord ?? (Errors.Count > 0 ? Errors[0] : null);

    public ScriptResult ThrowOnError()
    {
        if (Error is { } error)
        {
            throw new InvalidOperationException($"PowerShell error [{error.FullyQualifiedErrorId}]: {error.Exception?.Message}", error.Exception);
        }

        return this;
    }

    /// <summary>Every text the script produced on any stream, for "the password appears nowhere" checks.</summary>
    public string AllText() => string.Join('\n',
        Output.Select(o => string.Join(' ', o.Properties.Select(p => $"{p.Name}={SafeValue(p)}")))
            .Concat(Errors.Select(Describe))
            .Concat(Terminating is null ? [] : [Describe(Terminating.ErrorRecord), Terminating.ToString()])
            .Concat(Warnings).Concat(Verbose).Concat(Debug).Concat(Information)
            .Concat(Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}")));

    private static string Describe(ErrorRecord error) =>
        $"{error.FullyQualifiedErrorId} {error.Exception} {error.ErrorDetails?.Message} {error.ErrorDetails?.RecommendedAction} {error.TargetObject}";

    private static string SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value?.ToString() ?? string.Empty;
        }
        catch (GetValueException)
        {
            return string.Empty;
        }
    }
}
