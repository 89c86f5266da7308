using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TradingBot.Migrations.Configuration;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Status;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Completion;

/// <summary>
/// What every completer needs of the command line being typed, found as the cmdlets find it: the session's location,
/// the configuration file (-ConfigurationPath, else ./migrations.psd1), the migrations folder (-Path, else the file's
/// MigrationsPath, else ./migrations) and, for completers that read the database, the target and its status.
/// A completer never fails: a missing or broken file, or an unreachable database, gives less to offer, not an error.
/// </summary>
internal sealed class CompletionContext
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(3);

    private readonly IDictionary? bound;

    private CompletionContext(IDictionary? bound)
    {
        this.bound = bound;
        var paths = SessionPaths(Bound("ConfigurationPath"), Bound("Path"));
        Location = paths[0]!;
        Configuration = LoadConfiguration(paths[1] ?? System.IO.Path.Combine(Location, ProjectConfiguration.DefaultFileName));
        MigrationsFolder = ProjectConfiguration.MigrationsFolder(paths[2], Configuration, Location);
    }

    /// <summary>The session's current file-system location.</summary>
    public string Location { get; }

    public ProjectConfiguration? Configuration { get; }

    public string MigrationsFolder { get; }

    public static CompletionContext From(IDictionary? fakeBoundParameters) => new(fakeBoundParameters);

    /// <summary>The versions named by the files in the migrations folder; empty when there is no such folder.</summary>
    public IReadOnlyCollection<Engine.Catalog.MigrationVersion> FileVersions()
    {
        try
        {
            return MigrationUseCases.FileVersions(MigrationsFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MigrationException)
        {
            return [];
        }
    }

    /// <summary>The status Get-MigrationStatus would show for this command line, read-only; null when it cannot be read within a few seconds.</summary>
    public IReadOnlyList<MigrationStatusEntry>? ReadStatus()
    {
        EngineSettings settings;
        try
        {
            var target = EnvironmentResolver.Resolve(new TargetRequest(Bound("Database"), Bound("Environment"), Configuration, Location,
                System.Environment.GetEnvironmentVariable)).Target;
            settings = new EngineSettings(target, MigrationsFolder)
            {
                PowerShellInspector = new PowerShellScriptInspector(),
                ReadOnly = true,
            }.WithHistoryTable(Bound("HistoryTable"), Bound("HistorySchema"), Configuration);
        }
        catch (MigrationException)
        {
            return null;
        }

        // Tab must not hang on a database that does not answer: past the timeout the read is cancelled and left to end on its own.
        var cancellation = new CancellationTokenSource(StatusTimeout);
        var token = cancellation.Token;
        var read = Task.Run(() =>
        {
            try
            {
                return MigrationUseCases.Status(settings, token).Entries;
            }
            finally
            {
                cancellation.Dispose();
            }
        });
        try
        {
            return read.Wait(StatusTimeout) ? read.Result : null;
        }
        catch (AggregateException)
        {
            return null;
        }
    }

    private string? Bound(string name) => bound?[name] is string { Length: > 0 } value ? value : null;

    private static ProjectConfiguration? LoadConfiguration(string path)
    {
        try
        {
            return File.Exists(path) ? ConfigurationFileReader.Load(path) : null;
        }
        catch (Exception e) when (e is MigrationException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The location, then each path resolved as a cmdlet resolves it (relative to the location, ~ and PowerShell drives);
    /// null for a path that is null or does not resolve. Completion runs inside a pipeline, where SessionStateProxy is off
    /// limits; a nested pipeline on the same runspace is not.
    /// </summary>
    private static string?[] SessionPaths(params string?[] paths)
    {
        if (Runspace.DefaultRunspace is not null)
        {
            try
            {
                using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                shell.AddScript("""
                    param($Paths)
                    $session = $ExecutionContext.SessionState.Path
                    $session.CurrentFileSystemLocation.ProviderPath
                    foreach ($path in $Paths) { try { if ($path) { $session.GetUnresolvedProviderPathFromPSPath($path) } else { '' } } catch { '' } }
                    """).AddArgument(paths);
                var output = shell.Invoke().Select(o => o?.BaseObject as string).ToList();
                if (output.Count == paths.Length + 1 && output[0] is { Length: > 0 })
                {
                    return output.Select(p => p is { Length: > 0 } ? p : null).ToArray();
                }
            }
            catch (RuntimeException)
            {
                // Fall through to the process's directory.
            }
        }

        var location = System.Environment.CurrentDirectory;
        return [location, .. paths.Select(p => p is null ? null : System.IO.Path.GetFullPath(p, location))];
    }
}
