using System.Management.Automation;
using System.Net;
using TradingBot.Migrations.Configuration;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Errors;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// What every database cmdlet shares: -Database, -Environment, -ConfigurationPath and -Path, target resolution, a cancellation source
/// that Ctrl+C (StopProcessing) cancels, and the mapping of engine errors onto ErrorRecords.
/// </summary>
public abstract class MigrationCmdletBase : PSCmdlet, IDisposable
{
    public const string DatabaseUrlVariable = EnvironmentResolver.DatabaseUrlVariable;

    private readonly CancellationTokenSource cancellation = new();
    private ProjectConfiguration? configuration;
    private bool configurationLoaded;
    private ResolvedTarget? resolved;

    /// <summary>postgres://user@host:5432/db (the password from -Credential, or in the URL), an Npgsql connection string, sqlite:path, or a .db file.</summary>
    [Parameter(ValueFromPipelineByPropertyName = false)]
    [Alias("ConnectionString", "Url")]
    [ValidateNotNullOrEmpty]
    [SingleDatabase]
    public string? Database { get; set; }

    /// <summary>
    /// The user and password for a PostgreSQL database given without a password (-Database postgres://app@host/db, an
    /// environment, or $env:DATABASE_URL): -Credential (Get-Credential app) or -Credential (Get-Secret db). Not for SQLite.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A named environment of migrations.psd1 (dev, qa, prod); -Database wins over it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string? Environment { get; set; }

    /// <summary>The configuration file (default: ./migrations.psd1, when it exists).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigurationPath { get; set; }

    /// <summary>The migrations folder (default: the configuration file's MigrationsPath, else ./migrations).</summary>
    [Parameter]
    [Alias("MigrationsPath")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationsFolderCompleter))]
    public string? Path { get; set; }

    /// <summary>The history table's name (default: the configuration file's, else schema_migrations).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistoryTable { get; set; }

    /// <summary>The history table's schema (PostgreSQL only; default: the configuration file's, else the search path's first schema).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistorySchema { get; set; }

    protected CancellationToken Cancellation => cancellation.Token;

    /// <summary>Set while work runs on workers (a fleet, or one target's run): what must happen on the pipeline thread (PowerShell migrations) goes through it.</summary>
    private protected PipelineDispatcher? Dispatcher { get; set; }

    public void Dispose()
    {
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => cancellation.Cancel();

    protected override void BeginProcessing() => OutputView.HostSupportsVirtualTerminal = Host?.UI?.SupportsVirtualTerminal == true;

    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>The configuration file, read once: -ConfigurationPath (which must exist), else ./migrations.psd1 if it exists, else none.</summary>
    private protected ProjectConfiguration? Configuration
    {
        get
        {
            if (!configurationLoaded)
            {
                configuration = LoadConfiguration();
                configurationLoaded = true;
            }

            return configuration;
        }
    }

    /// <summary>The database this run acts on, resolved once (see <see cref="EnvironmentResolver"/> for the precedence).</summary>
    private protected ResolvedTarget Resolved => resolved ??= Resolve();

    private ResolvedTarget Resolve() => Resolve(Database, Environment);

    /// <summary>The database that <paramref name="database"/> or <paramref name="environment"/> names, as -Database and -Environment would.</summary>
    private protected ResolvedTarget Resolve(string? database, string? environment) => Checked(EnvironmentResolver.Resolve(Request(database, environment)));

    /// <summary>Every database they name: one, or each of a list environment.</summary>
    private protected IReadOnlyList<ResolvedTarget> ResolveAll(string? database, string? environment) =>
        EnvironmentResolver.ResolveAll(Request(database, environment)).Select(Checked).ToList();

    private protected TargetRequest Request(string? database, string? environment)
    {
        var credential = Credential is null || Credential == PSCredential.Empty ? null : new NetworkCredential(Credential.UserName, Credential.Password);
        return new TargetRequest(database, environment, Configuration, CurrentDirectory, System.Environment.GetEnvironmentVariable, credential);
    }

    private ResolvedTarget Checked(ResolvedTarget target)
    {
        if (target.Target.ContainsPassword(MyInvocation.Line) || target.Target.ContainsPassword(MyInvocation.PositionMessage))
        {
            WriteAdvice(PasswordInCommandWarning);
        }

        return target;
    }

    /// <summary>
    /// A warning that must not stop the run: -Debug (or -WarningAction Inquire) turns a warning into a question, and where
    /// nobody can answer it that fails the command, so there the advice goes to the verbose stream instead.
    /// </summary>
    private void WriteAdvice(string text)
    {
        if (WarningAsks() && !Confirmation.CanAsk(this))
        {
            WriteVerbose(text);
            return;
        }

        WriteWarning(text);
    }

    private bool WarningAsks()
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.TryGetValue("WarningAction", out var action))
        {
            return action is ActionPreference.Inquire;
        }

        return bound.TryGetValue("Debug", out var debug) && debug is SwitchParameter { IsPresent: true } ||
            LanguagePrimitives.TryConvertTo(SessionState.PSVariable.GetValue("WarningPreference"), out ActionPreference preference) && preference == ActionPreference.Inquire;
    }

    // Only when the password is written in the command line itself, where pwsh keeps it: a URL from a variable is not nagged about.
    private const string PasswordInCommandWarning =
        "The database password is written in the command line itself, and PowerShell keeps that line: in every error record " +
        "($Error[0].InvocationInfo.Line, Get-Error, the error view of scripts) and in PSReadLine's history. Keep it out of the command: " +
        "a URL without the password plus -Credential (Get-Credential) or -Credential (Get-Secret <name>), $env:DATABASE_URL, " +
        "or an environment in migrations.psd1 with DatabaseUrlVariable.";

    protected string ResolveMigrationsFolder() => ProjectConfiguration.MigrationsFolder(
        Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), Configuration, CurrentDirectory);

    /// <summary>-Database, then -Environment, then $env:DATABASE_URL, then the file's DefaultEnvironment, then ./dev.db.</summary>
    private protected DatabaseTarget ResolveTarget() => Resolved.Target;

    /// <summary>Parses a version parameter, or throws <paramref name="error"/> saying what is wrong with it.</summary>
    private protected static Engine.Catalog.MigrationVersion ParseVersionParameter(string text, string label, MigrationError error) =>
        VersionArgument.Parse(text, label, error);

    private protected EngineSettings CreateSettings(bool readOnly = false) => CreateSettings(Resolved, readOnly);

    /// <summary>
    /// The settings for another database than the run's own (Test-MigrationDrift -Reference/-Difference): an environment of
    /// the configuration file when one has that name, else a -Database value; with -Credential as for the run's own.
    /// </summary>
    private protected EngineSettings SettingsFor(string databaseOrEnvironment, bool readOnly)
    {
        var credential = Credential is null || Credential == PSCredential.Empty ? null : new NetworkCredential(Credential.UserName, Credential.Password);
        var isEnvironment = Configuration?.Environments.ContainsKey(databaseOrEnvironment) ?? false;
        var target = EnvironmentResolver.Resolve(new TargetRequest(isEnvironment ? null : databaseOrEnvironment, isEnvironment ? databaseOrEnvironment : null,
            Configuration, CurrentDirectory, System.Environment.GetEnvironmentVariable, credential));
        return CreateSettings(target, readOnly);
    }

    private protected EngineSettings CreateSettings(ResolvedTarget resolvedTarget, bool readOnly)
    {
        var target = resolvedTarget.Target;
        WriteVerbose(resolvedTarget.Environment is { } environment
            ? $"Target: {target.DisplayName} (environment {environment.Name}{(environment.Protected ? ", protected" : string.Empty)}, from {resolvedTarget.Source})"
            : $"Target: {target.DisplayName} (from {resolvedTarget.Source})");
        var settings = new EngineSettings(target, ResolveMigrationsFolder())
        {
            PowerShellInspector = new PowerShellScriptInspector(),
            PowerShellRunner = new PowerShellMigrationRunner(Dispatcher),
            ReadOnly = readOnly,
            DefaultLockTimeout = resolvedTarget.Environment?.PostgresLockTimeout,
            DefaultStatementTimeout = resolvedTarget.Environment?.PostgresStatementTimeout,
            LockRetries = resolvedTarget.Environment?.PostgresLockRetries ?? 0,
        }.WithHistoryTable(HistoryTable, HistorySchema, Configuration);
        return resolvedTarget.Environment?.LockTimeoutSeconds is { } seconds ? settings with { LockTimeout = TimeSpan.FromSeconds(seconds) } : settings;
    }

    private ProjectConfiguration? LoadConfiguration()
    {
        if (ConfigurationPath is not null)
        {
            var explicitPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigurationPath);
            if (!File.Exists(explicitPath))
            {
                throw new MigrationException(MigrationErrors.ConfigurationFileNotFound, $"The configuration file {explicitPath} does not exist.")
                {
                    FilePath = explicitPath,
                };
            }

            return ConfigurationFileReader.Load(explicitPath);
        }

        var path = System.IO.Path.Combine(CurrentDirectory, ProjectConfiguration.DefaultFileName);
        return File.Exists(path) ? ConfigurationFileReader.Load(path) : null;
    }

    /// <summary>Runs <paramref name="action"/>, turning engine exceptions into terminating ErrorRecords.</summary>
    protected void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (MigrationException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, TargetObjectFor(e)));
        }
        catch (OperationCanceledException e)
        {
            ThrowTerminatingError(ErrorRecords.From(
                new MigrationException(MigrationErrors.OperationCanceled, "The operation was canceled; the migration in progress was rolled back.", e), null));
        }
    }

    private protected virtual object? TargetObjectFor(MigrationException error) => error.Version ?? error.FilePath;
}
