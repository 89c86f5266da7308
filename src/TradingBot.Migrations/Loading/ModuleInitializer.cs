using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace TradingBot.Migrations.Loading;

/// <summary>
/// Runs when the module is imported: routes the engine assembly (and only it) to the private load
/// context before any cmdlet touches an engine type.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static EngineLoadContext? context;

    public void OnImport() => Register();

    // Also runs when the assembly is loaded some other way (Add-Type, a host referencing it).
#pragma warning disable CA2255 // A module initializer in a library is exactly the point here.
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        lock (Gate)
        {
            if (context is not null)
            {
                return;
            }

            var moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
            context = new EngineLoadContext(Path.Combine(moduleFolder, "deps"));
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == EngineLoadContext.EngineAssemblyName ? context?.LoadFromAssemblyName(name) : null;
}
