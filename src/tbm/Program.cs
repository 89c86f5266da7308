using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TradingBot.Migrations.Host;

// tbm: runs one TradingBot.Migrations cmdlet line in an embedded PowerShell engine, for machines
// with the .NET SDK but no pwsh. `tbm Invoke-Migration -Database sqlite:dev.db`, or `tbm -c '<script>'`.
if (args.Length == 0 || args[0] is "-h" or "--help" or "-?")
{
    Console.WriteLine("""
        usage: tbm <Cmdlet> [parameters...]      e.g. tbm Invoke-Migration -Database sqlite:./dev.db
               tbm -c "<PowerShell script>"       e.g. tbm -c "Get-MigrationStatus | Where-Object State -eq Pending"
        The module is found from TBM_MODULE, or TradingBot.Migrations.psd1 in this or a parent folder.
        Exit code: 0 on success, 1 when any error was written, 2 when the module cannot be found.
        """);
    return args.Length == 0 ? 2 : 0;
}

var manifest = ModuleLocator.Find();
if (manifest is null)
{
    Console.Error.WriteLine("tbm: cannot find TradingBot.Migrations.psd1. Set TBM_MODULE to its path, or run tbm from the repository.");
    return 2;
}

var script = args[0] == "-c" ? string.Join(' ', args.Skip(1)) : CommandLine.Join(args);
var state = InitialSessionState.CreateDefault2();
if (OperatingSystem.IsWindows())
{
    state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
}

using var runspace = RunspaceFactory.CreateRunspace(new ConsoleHost(), state);
runspace.Open();
using var shell = PowerShell.Create(runspace);
shell.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop").AddStatement().AddScript(script);
return StreamPrinter.Run(shell);
