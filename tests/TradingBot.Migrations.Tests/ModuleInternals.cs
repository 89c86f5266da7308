using System.Reflection;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// The module's own assembly as a session that imported the built manifest loaded it (the engine in its private load
/// context beside it), for tests of internals that no cmdlet shows whole: the error catalogue, the enum mappings.
/// </summary>
internal static class ModuleInternals
{
    private static readonly Lazy<Assembly> Loaded = new(Load);

    public static Assembly Assembly => Loaded.Value;

    public static Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    public static object? Static(string typeName, string memberName) =>
        Type(typeName).GetProperty(memberName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);

    private static Assembly Load()
    {
        using var folder = new TempFolder();
        using var session = new PowerShellSession(folder.Path);
        return (Assembly)session.Run("(Get-Command Invoke-Migration).ImplementingType.Assembly").ThrowOnError().Output.Single().BaseObject;
    }
}
