using System.Management.Automation;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// What every database cmdlet shares: -Database and -Path, target resolution, a cancellation source
/// that Ctrl+C (StopProcessing) cancels, and the mapping of engine errors onto ErrorRecords.
/// </summary>
public abstract class MigrationCmdletBase : PSCmdlet, IDisposable
{
    public const string DatabaseUrlVariable = "DATABASE_URL";

    private readonly CancellationTokenSource cancellation = new();

    /// <summary>postgres://user:pass@host:5432/db, an Npgsql connection string, sqlite:path, or a .db file.</summary>
    [Parameter(ValueFromPipelineByPropertyName = false)]
    [Alias("ConnectionString", "Url")]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>The migrations folder (default: ./migrations).</summary>
    [Parameter]
    [Alias("MigrationsPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The history table's name (default schema_migrations).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistoryTable { get; set; }

    /// <summary>The history table's schema (PostgreSQL only; default: the search path's first schema).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistorySchema { get; set; }

    protected CancellationToken Cancellation => cancellation.Token;

    public void Dispose()
    {
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => cancellation.Cancel();

    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    protected string ResolveMigrationsFolder() =>
        Path is null
            ? System.IO.Path.Combine(CurrentDirectory, "migrations")
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);

    /// <summary>-Database, then $env:DATABASE_URL, then ./dev.db.</summary>
    private protected DatabaseTarget ResolveTarget()
    {
        var value = Database;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = System.Environment.GetEnvironmentVariable(DatabaseUrlVariable);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            value = "sqlite:" + DatabaseTargetParser.DefaultSqliteFile;
        }

        return DatabaseTargetParser.Parse(value, CurrentDirectory);
    }

    private protected EngineSettings CreateSettings(bool readOnly = false)
    {
        var target = ResolveTarget();
        WriteVerbose($"Target: {target.DisplayName}");
        return new EngineSettings(target, ResolveMigrationsFolder())
        {
            HistoryTable = new HistoryTableName(HistoryTable ?? HistoryTableName.DefaultTable, HistorySchema),
            PowerShellInspector = new PowerShellScriptInspector(),
            PowerShellRunner = new PowerShellMigrationRunner(this),
            ReadOnly = readOnly,
        };
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
                new MigrationException(MigrationErrorKind.Canceled, "OperationCanceled", "The operation was canceled; the migration in progress was rolled back.", e), null));
        }
    }

    private protected virtual object? TargetObjectFor(MigrationException error) => error.Version ?? error.FilePath;
}
