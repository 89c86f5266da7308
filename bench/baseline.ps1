#Requires -Version 7.4
# Issue 19: what Set-MigrationBaseline's evidence costs on a project with many migrations. Generates N migrations (in turn a
# table, a column, an index, a view), builds a live database with them under another history table (as another tool would
# have), then times `Set-MigrationBaseline -Version <the last> -WhatIf`: the migrations replayed one at a time into a scratch
# database, the schema read after each. Prints wall time, this pwsh's CPU, PostgreSQL's CPU (the postmaster and the backends
# that ended meanwhile: the scratch database's and the run's) and the load average. Timings are reported, never asserted.
#
#   dotnet pwsh bench/baseline.ps1                    # 300 migrations, SQLite and PostgreSQL
#   dotnet pwsh bench/baseline.ps1 -Count 1000 -Dialects PostgreSql
param(
    [int] $Count = 300,
    [ValidateSet('Sqlite', 'PostgreSql')] [string[]] $Dialects = @('Sqlite', 'PostgreSql')
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
. (Join-Path $root 'build/TestPostgres.ps1')
Import-Module (Join-Path $root 'TradingBot.Migrations.psd1')

# user + system CPU of a process and of its children it has reaped, in seconds (Linux /proc, clock ticks of 1/100 s)
function Get-CpuSeconds([int] $ProcessId) {
    $fields = (Get-Content "/proc/$ProcessId/stat") -replace '^.*\) ', '' -split ' '
    ([long]$fields[11] + [long]$fields[12] + [long]$fields[13] + [long]$fields[14]) / 100
}

$server = if ($Dialects -contains 'PostgreSql') { Start-TestPostgres } else { $null }
$work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "tbm-baseline-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))")
try {
    foreach ($dialect in $Dialects) {
        $project = New-Item -ItemType Directory (Join-Path $work $dialect)
        $migrations = New-Item -ItemType Directory (Join-Path $project migrations)
        foreach ($i in 1..$Count) {
            $sql = switch ($i % 4) {
                1 { "CREATE TABLE t$i (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TEXT);" }
                2 { "ALTER TABLE t$($i - 1) ADD COLUMN extra_$i INTEGER;" }
                3 { "CREATE INDEX ix_$i ON t$($i - 2) (name);" }
                0 { "CREATE VIEW v$i AS SELECT id, name FROM t$($i - 3);" }
            }
            Set-Content (Join-Path $migrations "1.0.${i}__step-$i.up.sql") $sql
        }

        $postmaster = $null
        if ($dialect -eq 'Sqlite') {
            $database = "sqlite:$(Join-Path $project live.db)"
        }
        else {
            $name = "baseline_bench_$Count"
            $admin = New-Item -ItemType Directory (Join-Path $project admin)
            Set-Content (Join-Path $admin '1__database.up.sql') "-- transaction: none`nCREATE DATABASE $name;"
            Invoke-Migration -Path $admin -Database $server.ConnectionString -HistoryTable baseline_bench_admin | Out-Null
            $database = $server.ConnectionString -replace 'Database=[^;]*', "Database=$name"
            $postmaster = [int](Get-Content (Get-ChildItem -Recurse -Filter postmaster.pid $server.Folder | Select-Object -First 1).FullName -TotalCount 1)
        }

        Invoke-Migration -Path $migrations -Database $database -HistoryTable other_tool_history | Out-Null
        $load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
        $client = Get-CpuSeconds $PID
        $serverCpu = if ($postmaster) { Get-CpuSeconds $postmaster } else { 0 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $entries = Set-MigrationBaseline -Path $migrations -Database $database -Version "1.0.$Count" -WhatIf -WarningAction SilentlyContinue 6>$null
        $clock.Stop()
        $client = (Get-CpuSeconds $PID) - $client
        $serverCpu = if ($postmaster) { (Get-CpuSeconds $postmaster) - $serverCpu } else { 0 }
        $labels = ($entries | Group-Object Label | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', '
        '{0}, {1} migrations: {2:0.0} s wall, pwsh CPU {3:0.0} s, server CPU {4:0.0} s, load {5} ({6})' -f $dialect, $Count, $clock.Elapsed.TotalSeconds, $client, $serverCpu, ($load -join ' '), $labels
    }
}
finally {
    Stop-TestPostgres $server
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
