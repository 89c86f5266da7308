using System.Management.Automation;
using TradingBot.Migrations.Configuration;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Errors;
using TradingBot.Migrations.Hosting;

namespace TradingBot.Migrations.Commands;

/// <summary>Creates a new migration's files (up and down SQL, or a PowerShell script) at the next version.</summary>
/// <remarks>
/// <para>Writes &lt;version&gt;__&lt;name&gt;.up.sql and .down.sql from a template (or a .ps1 with Up and Down blocks with
/// -PowerShell) in the migrations folder, creating it if needed, and emits the FileInfo objects it created. The version is
/// the next patch of the highest dotted version, or the current UTC timestamp where the folder uses timestamps.</para>
/// <para>It refuses names that are not words joined by - or _ (so no path separators or ..), and versions that already exist.</para>
/// </remarks>
/// <example>
/// <code>New-Migration -Name add-user-email</code>
/// <para>Creates migrations/1.0.4__add-user-email.up.sql and .down.sql when 1.0.3 is the highest version.</para>
/// </example>
/// <example>
/// <code>New-Migration -Name backfill-fees -PowerShell -Version 2.0.0</code>
/// <para>Creates a PowerShell data migration at version 2.0.0.</para>
/// </example>
/// <returns>FileInfo: each file it created.</returns>
[Cmdlet(VerbsCommon.New, "Migration", SupportsShouldProcess = true, DefaultParameterSetName = SqlSet)]
[OutputType(typeof(FileInfo))]
public sealed class NewMigrationCommand : PSCmdlet
{
    private const string SqlSet = "Sql";
    private const string PowerShellSet = "PowerShell";

    /// <summary>Words joined by - or _, such as add-user-email.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The version (default: the next patch of the highest, or a UTC timestamp where the folder uses timestamps).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>The migrations folder (default: MigrationsPath of ./migrations.psd1, else ./migrations); created if missing.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationsFolderCompleter))]
    public string? Path { get; set; }

    /// <summary>Write .up.sql and .down.sql (the default).</summary>
    [Parameter(ParameterSetName = SqlSet)]
    public SwitchParameter Sql { get; set; }

    /// <summary>Write a .ps1 data migration with Up and Down blocks.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PowerShellSet)]
    public SwitchParameter PowerShell { get; set; }

    protected override void ProcessRecord()
    {
        string folder;
        try
        {
            folder = Path is null ? DefaultFolder() : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            Confirmation.RefuseIfUnanswerable(this, force: false, "Nothing was written.");
        }
        catch (MigrationException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, e.FilePath));
            return;
        }

        if (!ShouldProcess(folder, $"Create migration '{Name}'"))
        {
            return;
        }

        try
        {
            var kind = PowerShell.IsPresent ? MigrationKind.PowerShell : MigrationKind.Sql;
            foreach (var path in MigrationUseCases.Scaffold(folder, Name, Version, kind, DateTime.UtcNow))
            {
                this.WriteFile(path);
            }
        }
        catch (MigrationException e)
        {
            WriteError(ErrorRecords.From(e, Name));
        }
    }

    /// <summary>The configuration file's MigrationsPath when ./migrations.psd1 says one, else ./migrations.</summary>
    private string DefaultFolder()
    {
        var current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var configuration = System.IO.Path.Combine(current, ProjectConfiguration.DefaultFileName);
        return ProjectConfiguration.MigrationsFolder(null, File.Exists(configuration) ? ConfigurationFileReader.Load(configuration) : null, current);
    }
}
