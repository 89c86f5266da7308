#Requires -Version 7.4
# Issue 16: a fleet of PostgreSQL databases migrated in one run, against a bash loop of psql sessions at the same
# parallelism. Each round times, for every -ThrottleLimit, (a) one Invoke-Migration over a fresh fleet in this warm pwsh
# and (b) `xargs -P n` running one psql session per database of another fresh fleet, each applying every migration in
# its own transaction with its history row (what the module does, without checks). The ratios are paired: each is taken
# within one round, where the measurements sat minutes apart at most, and the report gives their median and range.
# Every round runs the throttles and the two tools in the opposite order to the round before, and every fleet is dropped
# once timed, so no row always comes first or always meets a server holding more databases (this machine's PostgreSQL
# slows as databases are created). Prints a Markdown table and writes it to bench/results/fleet-latest.md: per
# -ThrottleLimit the median times, the throughput against the smallest -ThrottleLimit, the module's time over psql's,
# and the managed memory allocated and retained per target. Timings are reported, never asserted.
#
#   dotnet pwsh bench/fleet.ps1                      # 50 databases x 20 migrations, -ThrottleLimit 1, 2, 4, 8
#   dotnet pwsh bench/fleet.ps1 -Rounds 3                           # the issue's figures: 3 paired rounds
#   dotnet pwsh bench/fleet.ps1 -Databases 10 -Migrations 5 -Throttles 1,4
param(
    [int] $Databases = 50,
    [int] $Migrations = 20,
    [string] $Throttles = '1,2,4,8',
    [int] $Rounds = 1
)
$ErrorActionPreference = 'Stop'
$throttleList = @($Throttles -split ',' | ForEach-Object { [int]$_ })
$root = Split-Path $PSScriptRoot
. (Join-Path $root 'build/TestPostgres.ps1')
. (Join-Path $PSScriptRoot 'lib/Bench.ps1')
Import-Module (Join-Path $root 'TradingBot.Migrations.psd1')

$work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "tbm-fleet-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))")
$folder = New-Item -ItemType Directory (Join-Path $work 'migrations')
$baseline = [Text.StringBuilder]::new("CREATE TABLE schema_migrations (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`n")
foreach ($i in 1..$Migrations) {
    $sql = "CREATE TABLE trades_$i (id bigint PRIMARY KEY, symbol text NOT NULL, price numeric);`nCREATE INDEX trades_${i}_symbol ON trades_$i (symbol);`n"
    Set-Content -NoNewline -Path (Join-Path $folder "1.0.${i}__step-$i.up.sql") -Value $sql
    [void]$baseline.Append("BEGIN;`n$sql" + "INSERT INTO schema_migrations (version, name, checksum) VALUES ('1.0.$i', 'step-$i', 'x');`nCOMMIT;`n")
}
$baselineFile = Join-Path $work 'baseline.sql'
Set-Content -NoNewline -Path $baselineFile -Value $baseline.ToString()

$server = Start-TestPostgres
try {
    $psql = Join-Path $server.Bin 'psql'
    $env:PGPASSWORD = $server.Password
    # Each statement its own -c: CREATE and DROP DATABASE cannot run inside a transaction block.
    function Invoke-Psql([string[]] $Statements) {
        & $psql -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $server.Port -U postgres -d postgres -c 'SET client_min_messages = warning' @($Statements | ForEach-Object { '-c', $_ }) | Out-Null
        if ($LASTEXITCODE) { throw "psql failed: $($Statements -join '; ')" }
    }
    function New-Fleet([string] $Prefix) {
        $names = 1..$Databases | ForEach-Object { "${Prefix}_$_" }
        # CREATE DATABASE writes its copy of the template through the WAL: the CHECKPOINT flushes it before the timing starts
        # instead of in the middle of the next measurement.
        Invoke-Psql @($names | ForEach-Object { "DROP DATABASE IF EXISTS $_"; "CREATE DATABASE $_" }; 'CHECKPOINT')
        # Time for that session's server process to exit and be reaped: caught in between, its CPU (seconds, for 50 CREATE
        # DATABASE) was missing from the reading before a run and counted in the one after (a psql loop once read 8.7 s
        # of CPU in 2.2 s on two cores).
        Start-Sleep -Milliseconds 500
        $names
    }
    # A plain DROP: it fails while a session is still connected, which would mean a fleet run left connections open.
    function Remove-Fleet([string[]] $Names) { Invoke-Psql @($Names | ForEach-Object { "DROP DATABASE $_" }) }
    # CPU seconds so far of this pwsh with its reaped children (the psql loop's processes) and of the server (the
    # postmaster with its reaped children and its living ones), from /proc: how much of the two cores a run used.
    $ticks = [double](& getconf CLK_TCK)
    $postmaster = [int](Get-Content (Join-Path $server.Folder 'data/postmaster.pid') -TotalCount 1)
    # The fields of /proc/<id>/stat after the command name: [1] the parent, [11] and [12] its own user and system
    # ticks, [13] and [14] those of its children it has waited for.
    function Get-StatFields([string] $Id) {
        try { ([IO.File]::ReadAllText("/proc/$Id/stat") -replace '^.*\) ', '') -split ' ' } catch { @() } # gone meanwhile
    }
    function Get-CpuSeconds {
        $total = 0L
        foreach ($id in [IO.Directory]::GetDirectories('/proc') | ForEach-Object { [IO.Path]::GetFileName($_) } | Where-Object { $_ -match '^\d+$' }) {
            $fields = Get-StatFields $id
            if ($fields.Count -lt 15) { continue }
            if ($id -eq "$PID" -or $id -eq "$postmaster") { $total += [long]$fields[11] + [long]$fields[12] + [long]$fields[13] + [long]$fields[14] }
            elseif ($fields[1] -eq "$postmaster") { $total += [long]$fields[11] + [long]$fields[12] }
        }
        $total / $ticks
    }
    $url = { param($name) "Host=127.0.0.1;Port=$($server.Port);Username=postgres;Password=$($server.Password);Database=$name" }

    # Untimed: loads and jits the module's path once, as a long-lived pwsh would have.
    $warmup = New-Fleet warmup
    $warmup | ForEach-Object { & $url $_ } | Invoke-Migration -Path $folder -ThrottleLimit 2 | Out-Null
    Remove-Fleet $warmup

    function Measure-Module([int] $Throttle) {
        $names = New-Fleet "module_$Throttle"
        $targets = $names | ForEach-Object { & $url $_ }
        # The memory readings inside the CPU readings: reading /proc allocates too.
        $retained = [GC]::GetTotalMemory($true)
        $cpu = Get-CpuSeconds
        $allocated = [GC]::GetTotalAllocatedBytes($true)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $applied = ($targets | Invoke-Migration -Path $folder -ThrottleLimit $Throttle | Measure-Object).Count
        $seconds = $clock.Elapsed.TotalSeconds
        $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocated
        $cpu = (Get-CpuSeconds) - $cpu
        if ($applied -ne $Databases * $Migrations) { throw "the module applied $applied migrations" }
        $result = @{
            ModuleSeconds = $seconds
            ModuleCpuSeconds = $cpu
            AllocatedKiBPerTarget = $allocated / $Databases / 1KB
            RetainedKiBPerTarget = ([GC]::GetTotalMemory($true) - $retained) / $Databases / 1KB
        }
        Remove-Fleet $names
        $result
    }
    function Measure-Psql([int] $Throttle) {
        $names = New-Fleet "psql_$Throttle"
        $cpu = Get-CpuSeconds
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $names -join "`n" | bash -c "xargs -P $Throttle -I{} '$psql' -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $($server.Port) -U postgres -d {} -f '$baselineFile' > /dev/null"
        if ($LASTEXITCODE) { throw 'the psql loop failed' }
        $seconds = $clock.Elapsed.TotalSeconds
        $cpu = (Get-CpuSeconds) - $cpu
        Remove-Fleet $names
        @{ PsqlSeconds = $seconds; PsqlCpuSeconds = $cpu }
    }

    $rows = foreach ($round in 1..$Rounds) {
        $reversed = $round % 2 -eq 0
        foreach ($throttle in ($reversed ? $throttleList[($throttleList.Count - 1)..0] : $throttleList)) {
            if ($reversed) { $loop = Measure-Psql $throttle; $module = Measure-Module $throttle }
            else { $module = Measure-Module $throttle; $loop = Measure-Psql $throttle }
            [pscustomobject]($module + $loop + @{ Throttle = $throttle; Round = $round })
            Write-Host ('round {0}, -ThrottleLimit {1}: module {2:0.00} s ({3:0.00} s CPU), psql {4:0.00} s ({5:0.00} s CPU)' -f $round, $throttle,
                $module.ModuleSeconds, $module.ModuleCpuSeconds, $loop.PsqlSeconds, $loop.PsqlCpuSeconds)
        }
    }
}
finally {
    Remove-Item Env:PGPASSWORD -ErrorAction Ignore
    Stop-TestPostgres $server
    Remove-Item -Recurse -Force $work
}

# Per round, each -ThrottleLimit's throughput against the smallest one's in that round, the most the machine's cores
# allowed it (that round's smallest -ThrottleLimit time over this run's CPU seconds, client and server, spread over every
# core), and the module's time over psql's.
$cores = [Environment]::ProcessorCount
$first = ($throttleList | Measure-Object -Minimum).Minimum
$paired = foreach ($row in $rows) {
    $one = $rows | Where-Object { $_.Round -eq $row.Round -and $_.Throttle -eq $first }
    [pscustomobject]@{
        Throttle = $row.Throttle; Speedup = $one.ModuleSeconds / $row.ModuleSeconds; CoresAllow = $one.ModuleSeconds / ($row.ModuleCpuSeconds / $cores)
        PsqlSpeedup = $one.PsqlSeconds / $row.PsqlSeconds; VsPsql = $row.ModuleSeconds / $row.PsqlSeconds
    }
}
function Format-Spread($Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 1) { return '{0:0.00}x' -f $sorted[0] }
    '{0:0.00}x ({1:0.00}-{2:0.00})' -f (Get-Median $sorted), $sorted[0], $sorted[-1]
}
$table = @(
    "# Fleet: $Databases PostgreSQL databases x $Migrations migrations in one run"
    ''
    "$(Get-BenchConditions $Rounds); each ratio the median (and range) of the rounds' own ratios. CPU: this pwsh's and the server's, client and server together; on $cores cores a run can take no less than its CPU seconds / $cores."
    ''
    "| -ThrottleLimit | module (s) | CPU (s) | targets/s | vs -ThrottleLimit $first | the most $cores cores allow | bash + psql at the same parallelism (s) | CPU (s) | psql vs its -ThrottleLimit $first | module / psql | managed KiB allocated per target | managed KiB retained per target |"
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
    foreach ($group in $rows | Group-Object Throttle | Sort-Object { [int]$_.Name }) {
        $module = Get-Median $group.Group.ModuleSeconds
        $ratios = @($paired | Where-Object Throttle -EQ ([int]$group.Name))
        '| {0} | {1:0.00} | {2:0.00} | {3:0.0} | {4} | {5} | {6:0.00} | {7:0.00} | {8} | {9} | {10:0} | {11:0.0} |' -f $group.Name, $module,
            (Get-Median $group.Group.ModuleCpuSeconds), ($Databases / $module), (Format-Spread $ratios.Speedup), (Format-Spread $ratios.CoresAllow),
            (Get-Median $group.Group.PsqlSeconds), (Get-Median $group.Group.PsqlCpuSeconds), (Format-Spread $ratios.PsqlSpeedup), (Format-Spread $ratios.VsPsql),
            (Get-Median $group.Group.AllocatedKiBPerTarget), (Get-Median $group.Group.RetainedKiBPerTarget)
    }
)
$table | Set-Content (Join-Path $PSScriptRoot 'results/fleet-latest.md')
$table
