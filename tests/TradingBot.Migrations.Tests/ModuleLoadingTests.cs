using System.Diagnostics;

namespace TradingBot.Migrations.Tests;

public sealed class ModuleLoadingTests
{
    [Fact]
    public void Import_exports_exactly_the_module_cmdlets()
    {
        using var folder = new TempFolder();
        using var session = new PowerShellSession(folder.Path);

        var names = session.Run("(Get-Command -Module TradingBot.Migrations).Name").ThrowOnError()
            .Output.Select(o => o.BaseObject.ToString()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["Export-MigrationReport", "Export-MigrationSchema", "Get-MigrationStatus", "Import-MigrationHistory", "Invoke-Migration", "New-Migration", "Repair-Migration", "Set-MigrationBaseline", "Test-MigrationDrift", "Test-MigrationSafety", "Undo-Migration"], names);
    }

    [Fact]
    public void Engine_and_its_dependencies_load_in_a_private_context_not_the_default_one()
    {
        using var folder = new TempFolder();
        using var session = new PowerShellSession(folder.Path);
        session.Run("Get-MigrationStatus").ThrowOnError();

        var contexts = session.Run("""
            [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -in 'TradingBot.Migrations.Engine', 'Microsoft.Data.Sqlite', 'Npgsql' } |
                ForEach-Object { '{0}={1}' -f $_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
            """).ThrowOnError().Output.Select(o => o.BaseObject.ToString()!).ToList();

        Assert.Contains("TradingBot.Migrations.Engine=TradingBot.Migrations.Engine", contexts);
        Assert.Contains("Microsoft.Data.Sqlite=TradingBot.Migrations.Engine", contexts);
        var location = session.Run(
            "([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' -and " +
            "[System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name -eq 'TradingBot.Migrations.Engine' }).Location")
            .ThrowOnError().Output.Single().BaseObject.ToString();
        Assert.StartsWith(Path.Combine(RepositoryPaths.Root, "artifacts", "module", "deps"), location, StringComparison.Ordinal);
    }

    [Fact]
    public void Module_folder_ships_native_sqlite_for_every_supported_platform()
    {
        var runtimes = Path.Combine(RepositoryPaths.Root, "artifacts", "module", "deps", "runtimes");

        Assert.True(File.Exists(Path.Combine(runtimes, "linux-x64", "native", "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(runtimes, "linux-arm64", "native", "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(runtimes, "osx-arm64", "native", "libe_sqlite3.dylib")));
        Assert.True(File.Exists(Path.Combine(runtimes, "osx-x64", "native", "libe_sqlite3.dylib")));
        Assert.True(File.Exists(Path.Combine(runtimes, "win-x64", "native", "e_sqlite3.dll")));
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.Root, "artifacts", "module", "Npgsql.dll")), "dependencies must not sit next to the cmdlet assembly");
    }
}
