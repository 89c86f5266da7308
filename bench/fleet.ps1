#Requires -Version 7.4
# Issue 16: a fleet of PostgreSQL databases migrated in one run, against a bash loop of psql sessions at the same
# parallelism. For each -ThrottleLimit it creates the databases afresh, then times (a) one Invoke-Migration over all of
# them in this warm pwsh, and (b) `xargs -P n` running one psql session per database that applies every migration in
# its own transaction with its history row (what the module does, without checks). Prints a Markdown table and writes
# it to bench/results/fleet-latest.md: per -ThrottleLimit the medians of -Rounds rounds, the throughput against the smallest
# -ThrottleLimit, the module's time over psql's, and the managed memory allocated and retained per target.
# Timings are reported, never asserted.
#
#   dotnet pwsh bench/fleet.ps1                      # 50 databases x 20 migrations, -ThrottleLimit 1, 2, 4, 8
#   dotnet pwsh bench/fleet.ps1 -Rounds 3                           # the issue's figures: medians of 3 rounds
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
    function Invoke-Psql([string] $Sql) {
        & $psql -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $server.Port -U postgres -d postgres -c 'SET client_min_messages = warning' -c $Sql | Out-Null
        if ($LASTEXITCODE) { throw "psql failed: $Sql" }
    }
    function New-Fleet([string] $Prefix) {
        foreach ($i in 1..$Databases) { Invoke-Psql "DROP DATABASE IF EXISTS ${Prefix}_$i"; Invoke-Psql "CREATE DATABASE ${Prefix}_$i" }
        1..$Databases | ForEach-Object { "${Prefix}_$_" }
    }
    $url = { param($name) "Host=127.0.0.1;Port=$($server.Port);Username=postgres;Password=$($server.Password);Database=$name" }

    # Untimed: loads and jits the module's path once, as a long-lived pwsh would have.
    New-Fleet warmup | ForEach-Object { & $url $_ } | Invoke-Migration -Path $folder -ThrottleLimit 2 | Out-Null

    $rows = foreach ($throttle in $throttleList) {
        foreach ($round in 1..$Rounds) {
            $targets = New-Fleet "module_$throttle" | ForEach-Object { & $url $_ }
            $retained = [GC]::GetTotalMemory($true)
            $allocated = [GC]::GetTotalAllocatedBytes($true)
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $applied = ($targets | Invoke-Migration -Path $folder -ThrottleLimit $throttle | Measure-Object).Count
            $moduleSeconds = $clock.Elapsed.TotalSeconds
            $perTarget = ([GC]::GetTotalAllocatedBytes($true) - $allocated) / $Databases
            $retainedPerTarget = ([GC]::GetTotalMemory($true) - $retained) / $Databases
            if ($applied -ne $Databases * $Migrations) { throw "the module applied $applied migrations" }

            $names = New-Fleet "psql_$throttle"
            $clock.Restart()
            $names -join "`n" | bash -c "xargs -P $throttle -I{} '$psql' -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $($server.Port) -U postgres -d {} -f '$baselineFile' > /dev/null"
            if ($LASTEXITCODE) { throw 'the psql loop failed' }
            $psqlSeconds = $clock.Elapsed.TotalSeconds
            [pscustomobject]@{
                Throttle = $throttle; Round = $round; ModuleSeconds = $moduleSeconds; PsqlSeconds = $psqlSeconds
                ModuleTargetsPerSecond = $Databases / $moduleSeconds; AllocatedKiBPerTarget = $perTarget / 1KB; RetainedKiBPerTarget = $retainedPerTarget / 1KB
            }
            Write-Host ('-ThrottleLimit {0}, round {1}: module {2:0.00} s, psql {3:0.00} s' -f $throttle, $round, $moduleSeconds, $psqlSeconds)
        }
    }
}
finally {
    Remove-Item Env:PGPASSWORD -ErrorAction Ignore
    Stop-TestPostgres $server
    Remove-Item -Recurse -Force $work
}

$medians = @(foreach ($group in $rows | Group-Object Throttle) {
    [pscustomobject]@{
        Throttle = [int]$group.Name; Module = Get-Median $group.Group.ModuleSeconds; Psql = Get-Median $group.Group.PsqlSeconds
        Allocated = Get-Median $group.Group.AllocatedKiBPerTarget; Retained = Get-Median $group.Group.RetainedKiBPerTarget
    }
}) | Sort-Object Throttle
# Throughput ratios against the smallest -ThrottleLimit (1 by default), each from the medians.
$first = $medians[0]
$table = @(
    "# Fleet: $Databases PostgreSQL databases x $Migrations migrations in one run"
    ''
    "$(Get-BenchConditions $Rounds)."
    ''
    "| -ThrottleLimit | module (s) | targets/s | vs -ThrottleLimit $($first.Throttle) | bash + psql at the same parallelism (s) | module / psql | managed KiB allocated per target | managed KiB retained per target |"
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
    foreach ($row in $medians) {
        '| {0} | {1:0.00} | {2:0.0} | {3:0.00}x | {4:0.00} | {5:0.00}x | {6:0} | {7:0.0} |' -f $row.Throttle, $row.Module, ($Databases / $row.Module),
            ($first.Module / $row.Module), $row.Psql, ($row.Module / $row.Psql), $row.Allocated, $row.Retained
    }
)
$table | Set-Content (Join-Path $PSScriptRoot 'results/fleet-latest.md')
$table
