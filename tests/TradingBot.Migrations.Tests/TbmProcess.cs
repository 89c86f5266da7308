using System.Diagnostics;

namespace TradingBot.Migrations.Tests;

/// <summary>Runs the tbm host as a separate OS process: a process that references neither Npgsql nor SQLite.</summary>
internal static class TbmProcess
{
    public static string Path { get; } = Find();

    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, IDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TBM_MODULE"] = RepositoryPaths.Manifest;
        start.Environment.Remove("DATABASE_URL");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close(); // no console: tbm must never wait for an answer
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tbm did not finish in 2 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    private static string Find()
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var candidate = System.IO.Path.Combine(RepositoryPaths.Root, "src", "tbm", "bin", configuration, "net10.0", "tbm.dll");
            if (File.Exists(candidate) && AppContext.BaseDirectory.Contains(System.IO.Path.DirectorySeparatorChar + configuration + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tbm.dll is not built for this configuration; build Migrations.sln first.");
    }
}
