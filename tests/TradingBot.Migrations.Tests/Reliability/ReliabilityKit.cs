using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>The reliability tests run one at a time: they start many processes on a 2-core CI machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityGroup
{
    public const string Name = "Reliability";
}

/// <summary>A tbm process started in the background, to race or to kill.</summary>
internal sealed class TbmRunning : IDisposable
{
    private readonly Task<string> output;
    private readonly Task<string> error;

    private TbmRunning(Process process)
    {
        Process = process;
        output = process.StandardOutput.ReadToEndAsync();
        error = process.StandardError.ReadToEndAsync();
    }

    public Process Process { get; }

    public static TbmRunning Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(TbmProcess.Path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TBM_MODULE"] = RepositoryPaths.Manifest;
        start.Environment.Remove("DATABASE_URL");
        return new TbmRunning(Process.Start(start)!);
    }

    /// <summary>SIGKILL on Linux: no finally block, no rollback, no unlock runs in the process.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: false);
        Process.WaitForExit();
    }

    public (int ExitCode, string Output, string Error) Wait(TimeSpan limit)
    {
        if (!Process.WaitForExit(limit))
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tbm did not finish in {limit.TotalSeconds:0} s");
        }

        Process.WaitForExit();
        return (Process.ExitCode, output.Result, error.Result);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}

internal static class ReliabilityKit
{
    /// <summary>
    /// Starts <paramref name="count"/> tbm processes once; for each round they load nothing more, say they are ready,
    /// and wait for that round's go file before running that round's command: in every round all of them start the
    /// command within milliseconds of each other. Each round's output is preceded by a line "round N".
    /// </summary>
    public static IReadOnlyList<(int ExitCode, string Output, string Error)> Race(string workingDirectory, int count, IReadOnlyList<string> rounds, TimeSpan limit)
    {
        var gate = Directory.CreateTempSubdirectory("tbm-race-").FullName;
        var runs = new List<TbmRunning>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                // tbm's embedded engine has only the core commands, hence .NET calls. Get-Command loads the cmdlets.
                var script = new StringBuilder("$null = Get-Command Invoke-Migration; ");
                for (var r = 0; r < rounds.Count; r++)
                {
                    var ready = Path.Combine(gate, string.Create(CultureInfo.InvariantCulture, $"ready-{r}-{i}"));
                    var go = Path.Combine(gate, string.Create(CultureInfo.InvariantCulture, $"go-{r}"));
                    script.Append(CultureInfo.InvariantCulture,
                        $"[System.IO.File]::WriteAllText('{ready}', ''); while (-not [System.IO.File]::Exists('{go}')) {{ [System.Threading.Thread]::Sleep(2) }}; 'round {r}'; {rounds[r]}; ");
                }

                runs.Add(TbmRunning.Start(workingDirectory, "-c", script.ToString()));
            }

            var deadline = DateTime.UtcNow + limit;
            for (var r = 0; r < rounds.Count; r++)
            {
                var pattern = string.Create(CultureInfo.InvariantCulture, $"ready-{r}-*");
                while (Directory.GetFiles(gate, pattern).Length < count)
                {
                    if (DateTime.UtcNow > deadline || runs.Any(x => x.Process.HasExited))
                    {
                        throw new TimeoutException($"the racers did not all get ready for round {r}: " + string.Join(" | ", runs.Where(x => x.Process.HasExited).Select(x => x.Wait(TimeSpan.Zero).Error)));
                    }

                    Thread.Sleep(10);
                }

                File.WriteAllText(Path.Combine(gate, string.Create(CultureInfo.InvariantCulture, $"go-{r}")), "go");
            }

            return runs.Select(x => x.Wait(deadline - DateTime.UtcNow + TimeSpan.FromSeconds(30))).ToList();
        }
        finally
        {
            foreach (var run in runs)
            {
                run.Dispose();
            }

            Directory.Delete(gate, recursive: true);
        }
    }

    /// <summary>The part of a racer's output that belongs to one round.</summary>
    public static string RoundOutput(string output, int round)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"round {round}");
        var next = string.Create(CultureInfo.InvariantCulture, $"round {round + 1}");
        var start = output.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        var end = output.IndexOf(next, start, StringComparison.Ordinal);
        return end < 0 ? output[start..] : output[start..end];
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("gave up waiting: " + what);
            }

            Thread.Sleep(50);
        }
    }

    public static object? PgScalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static long PgCount(string connectionString, string sql) => Convert.ToInt64(PgScalar(connectionString, sql), CultureInfo.InvariantCulture);

    public static object? SqliteScalar(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static long SqliteCount(string file, string sql) => Convert.ToInt64(SqliteScalar(file, sql), CultureInfo.InvariantCulture);

    /// <summary>The advisory lock key the engine takes for a history table (PostgresAdvisoryLock.KeyFor).</summary>
    public static long LockKeyFor(string historyTable) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("TradingBot.Migrations:" + historyTable)));

    /// <summary>Every file under a folder with its SHA-256: equal snapshots mean nothing was added, removed or changed.</summary>
    public static string Snapshot(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return "(no folder)";
        }

        var lines = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        return string.Join('\n', lines);
    }

    public static string FileHash(string file) => File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "(no file)";

    /// <summary>Counts what the last run did, for docs/reliability.md (printed to the test log and appended to TBM_RELIABILITY_LOG when set).</summary>
    public static void Record(string line)
    {
        Console.WriteLine("[reliability] " + line);
        var log = Environment.GetEnvironmentVariable("TBM_RELIABILITY_LOG");
        if (!string.IsNullOrEmpty(log))
        {
            File.AppendAllText(log, DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture) + " " + line + "\n");
        }
    }
}
