using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace TradingBot.Migrations.Loading;

/// <summary>
/// A private load context for the engine and its dependencies (Npgsql, Microsoft.Data.Sqlite and the
/// native e_sqlite3), resolved from the module's deps/ folder through the engine's deps.json. Another
/// module's Npgsql in the same session cannot clash with ours, and pwsh, which ignores a module's
/// deps.json, still finds the right native SQLite for the platform.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    public const string EngineAssemblyName = "TradingBot.Migrations.Engine";

    private readonly AssemblyDependencyResolver resolver;
    private readonly string depsFolder;

    public EngineLoadContext(string depsFolder)
        : base("TradingBot.Migrations.Engine", isCollectible: false)
    {
        this.depsFolder = depsFolder;
        resolver = new AssemblyDependencyResolver(Path.Combine(depsFolder, EngineAssemblyName + ".dll"));
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = resolver.ResolveAssemblyToPath(assemblyName);
        if (path is not null)
        {
            return LoadFromAssemblyPath(path);
        }

        // Not ours (the framework, PowerShell itself): share the default context's copy.
        return null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName) ?? FindNative(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    // Fallback when deps.json has no entry for this platform: look in runtimes/<rid>/native ourselves.
    private string? FindNative(string name)
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var fileNames = OperatingSystem.IsWindows() ? new[] { name + ".dll", name }
            : OperatingSystem.IsMacOS() ? new[] { "lib" + name + ".dylib", name + ".dylib", name }
            : new[] { "lib" + name + ".so", name + ".so", name };
        foreach (var rid in new[] { $"{os}-{arch}", os })
        {
            foreach (var fileName in fileNames)
            {
                var candidate = Path.Combine(depsFolder, "runtimes", rid, "native", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
