// tbm-bench-warm: the warm side of the benchmark.
//
//   tbm-bench-warm floor
//       Opens a PowerShell runspace, runs `exit 0` and exits: the PowerShell host's own start-up floor
//       (time the whole process from outside). Works without the module.
//
//   tbm-bench-warm run --module PSD1 --database URL --path DIR [--rounds R] [--warmup-rounds W]
//                      [--warmup-database URL] [--repeat K] [--dialect NAME] [--tool NAME] [--tsv FILE]
//       Imports the module once, runs W untimed rounds (JIT, caches; on --warmup-database when given, so
//       the timed rounds start on a fresh database), then R rounds, timing each cmdlet inside the process:
//         Invoke-Migration                         (apply all: the database must start empty)
//         Invoke-Migration            x K          (nothing pending)
//         Get-MigrationStatus         x K          (status)
//         Undo-Migration -TargetVersion 0          (roll back all: leaves the database empty again)
//       and then Test-MigrationSafety -All -Path DIR x K (lint all; after W untimed calls).
//       Prints one JSON object (milliseconds) and, with --tsv, appends rows
//       "dialect<TAB>tool<TAB>op<TAB>seconds" for the harness's report.
//
//   tbm-bench-warm scale --module PSD1 --database URL --path DIR [--repeat K] [--dialect D] [--tsv FILE]
//       The size test: imports the module, applies every migration in DIR once (untimed: the database
//       must start empty), runs one untimed nothing-pending and status, then times K of each. Rows are
//       "noop@F" and "status@F" (F = migrations in DIR), plus "heap@F" and "heap@0": the managed heap
//       in MB after a full collection, once the runs are done and right after Import-Module.
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.Json;

var total = Stopwatch.StartNew();
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: tbm-bench-warm floor | run --module PSD1 --database URL --path DIR [--rounds R] [--repeat K] [--dialect D] [--tool T] [--tsv FILE]");
    return 2;
}

if (args[0] == "floor")
{
    using var rs = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    rs.Open();
    using var ps = PowerShell.Create(rs);
    ps.AddScript("exit 0").Invoke();
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double> { ["floor_ms"] = total.Elapsed.TotalMilliseconds }));
    return 0;
}

if (args[0] is not ("run" or "scale"))
{
    Console.Error.WriteLine($"tbm-bench-warm: unknown mode {args[0]}");
    return 2;
}

var opt = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    opt[args[i].TrimStart('-')] = args[i + 1];
}

string Need(string key) => opt.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required");
var module = Path.GetFullPath(Need("module"));
var database = Need("database");
var warmupDatabase = opt.GetValueOrDefault("warmup-database", database);
var path = Path.GetFullPath(Need("path"));
var rounds = int.Parse(opt.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture);
var warmupRounds = int.Parse(opt.GetValueOrDefault("warmup-rounds", "0"), CultureInfo.InvariantCulture);
var repeat = int.Parse(opt.GetValueOrDefault("repeat", "5"), CultureInfo.InvariantCulture);
var dialect = opt.GetValueOrDefault("dialect", "pg");
var tool = opt.GetValueOrDefault("tool", "module (warm)");
var tsv = opt.GetValueOrDefault("tsv");

var ops = new Dictionary<string, List<double>>(StringComparer.Ordinal);
var cpuOps = new Dictionary<string, List<double>>(StringComparer.Ordinal); // user+sys ms of the whole process, JIT threads included
var errors = new List<string>();
var result = new Dictionary<string, object>(StringComparer.Ordinal) { ["ops_ms"] = ops, ["ops_cpu_ms"] = cpuOps, ["errors"] = errors };

var sw = Stopwatch.StartNew();
using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
result["runspace_open_ms"] = sw.Elapsed.TotalMilliseconds;

// One timed cmdlet call. Returns false (and records why) when it fails, so later steps that depend on
// it are skipped rather than timed on a wrong state.
var record = true;
bool Time(string op, string command, params (string Name, object? Value)[] parameters)
{
    using var ps = PowerShell.Create(runspace);
    ps.AddCommand(command);
    foreach (var (name, value) in parameters)
    {
        if (value is null)
        {
            ps.AddParameter(name);
        }
        else
        {
            ps.AddParameter(name, value);
        }
    }

    using var me = Process.GetCurrentProcess();
    var cpu0 = me.TotalProcessorTime;
    var t = Stopwatch.StartNew();
    try
    {
        var output = ps.Invoke();
        t.Stop();
        me.Refresh();
        if (ps.HadErrors)
        {
            var first = ps.Streams.Error.FirstOrDefault();
            errors.Add($"{op}: {command}: {first?.ToString() ?? "error"}");
            return false;
        }

        _ = output.Count;
    }
    catch (RuntimeException e)
    {
        errors.Add($"{op}: {command}: {e.Message}");
        return false;
    }

    if (!record)
    {
        return true;
    }

    if (!ops.TryGetValue(op, out var list))
    {
        ops[op] = list = [];
    }

    list.Add(t.Elapsed.TotalMilliseconds);
    if (!cpuOps.TryGetValue(op, out var cpuList))
    {
        cpuOps[op] = cpuList = [];
    }

    cpuList.Add((me.TotalProcessorTime - cpu0).TotalMilliseconds);
    return true;
}

static double HeapMb() => GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);

if (args[0] == "scale")
{
    var size = Directory.GetFiles(path, "*.up.sql").Length;
    record = false;
    var importedHeap = Time("import", "Import-Module", ("Name", module)) ? HeapMb() : double.NaN;
    if (Time("apply", "Invoke-Migration", ("Database", database), ("Path", path)) &&
        Time("noop", "Invoke-Migration", ("Database", database), ("Path", path)) &&
        Time("status", "Get-MigrationStatus", ("Database", database), ("Path", path)))
    {
        record = true;
        for (var k = 0; k < repeat; k++)
        {
            Time($"noop@{size}", "Invoke-Migration", ("Database", database), ("Path", path));
            Time($"status@{size}", "Get-MigrationStatus", ("Database", database), ("Path", path));
        }

        ops[$"heap@{size}"] = [HeapMb()];
        ops["heap@0"] = [importedHeap];
        cpuOps[$"heap@{size}"] = [0];
        cpuOps["heap@0"] = [0];
    }
}
else if (Time("import", "Import-Module", ("Name", module)))
{
    for (var r = 0; r < warmupRounds + rounds; r++)
    {
        record = r >= warmupRounds;
        var db = record ? database : warmupDatabase;
        if (!Time("apply", "Invoke-Migration", ("Database", db), ("Path", path)))
        {
            break;
        }

        for (var k = 0; k < repeat; k++)
        {
            Time("noop", "Invoke-Migration", ("Database", db), ("Path", path));
        }

        for (var k = 0; k < repeat; k++)
        {
            Time("status", "Get-MigrationStatus", ("Database", db), ("Path", path));
        }

        if (!Time("rollback", "Undo-Migration", ("Database", db), ("Path", path), ("TargetVersion", "0"), ("Confirm", false)))
        {
            break;
        }
    }

    for (var k = 0; k < warmupRounds + repeat; k++)
    {
        record = k >= warmupRounds;
        Time("lint", "Test-MigrationSafety", ("All", null), ("Path", path));
    }
}

using (var self = Process.GetCurrentProcess())
{
    result["peak_working_set_mb"] = self.PeakWorkingSet64 / (1024.0 * 1024.0);
}

result["managed_heap_mb"] = GC.GetTotalMemory(false) / (1024.0 * 1024.0);
result["process_ms"] = total.Elapsed.TotalMilliseconds;
Console.WriteLine(JsonSerializer.Serialize(result));

if (tsv is not null)
{
    var sb = new StringBuilder();
    foreach (var (op, list) in ops)
    {
        for (var i = 0; i < list.Count; i++)
        {
            // Times go out in seconds; heap sizes stay in MB.
            var value = op.StartsWith("heap@", StringComparison.Ordinal) ? list[i] : list[i] / 1000.0;
            sb.Append(CultureInfo.InvariantCulture, $"{dialect}\t{tool}\t{op}\t{value:F6}\t{cpuOps[op][i] / 1000.0:F3}\n");
        }
    }

    File.AppendAllText(tsv, sb.ToString());
}

return errors.Count == 0 ? 0 : 1;
