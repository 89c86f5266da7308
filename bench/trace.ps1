#Requires -Version 7.4
# Issue 18: what Test-MigrationSafety -Trace costs. 100 migrations (ADD COLUMN, CREATE INDEX, SET NOT NULL, a volatile
# default, a foreign key, in turn) over a 10,000-row table, in the same run and on the same throwaway PostgreSQL: applied
# plainly with Invoke-Migration to a fresh database, linted without a trace, and traced with -Trace against a fresh
# database (all 100 pending: the trace makes a scratch database, traces each one in a rolled-back transaction and applies
# it there). The module runs in this warm pwsh (one untimed round first). Prints a Markdown table and writes it to
# bench/results/trace-latest.md. Timings are reported, never asserted.
#
#   dotnet pwsh bench/trace.ps1                   # 100 migrations, 3 rounds
#   dotnet pwsh bench/trace.ps1 -Migrations 20 -Rounds 1
param(
    [int] $Migrations = 100,
    [int] $Rounds = 3
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
. (Join-Path $root 'build/TestPostgres.ps1')
. (Join-Path $PSScriptRoot 'lib/Bench.ps1')
Import-Module (Join-Path $root 'TradingBot.Migrations.psd1')

$work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "tbm-trace-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))")
$folder = New-Item -ItemType Directory (Join-Path $work 'migrations')
Set-Content (Join-Path $folder '1.0.0__base.up.sql') @'
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE trades (id bigint PRIMARY KEY, account_id bigint, symbol text);
INSERT INTO accounts SELECT g FROM generate_series(1, 100) g;
INSERT INTO trades SELECT g, g % 100 + 1, 'S' || (g % 50) FROM generate_series(1, 10000) g;
'@
foreach ($i in 1..($Migrations - 1)) {
    $sql = switch ($i % 5) {
        0 { "ALTER TABLE trades ADD COLUMN c$i integer;" }
        1 { "CREATE INDEX trades_i$i ON trades (symbol);" }
        2 { "ALTER TABLE trades ADD COLUMN c$i text DEFAULT 'x';`nALTER TABLE trades ALTER COLUMN c$i SET NOT NULL;" }
        3 { "ALTER TABLE trades ADD COLUMN c$i double precision DEFAULT random();" }
        4 { "ALTER TABLE trades ADD CONSTRAINT trades_fk$i FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;" }
    }
    Set-Content (Join-Path $folder ('1.0.{0}__step.up.sql' -f $i)) $sql
}

$server = Start-TestPostgres
try {
    $database = 0
    $fresh = {
        $script:database++
        $name = "bench_trace_$($script:database)"
        $env:PGPASSWORD = $server.Password
        & (Join-Path $server.Bin 'psql') -X -q -w -h 127.0.0.1 -p $server.Port -U postgres -d postgres -c "CREATE DATABASE $name" | Out-Null
        if ($LASTEXITCODE) { throw "cannot create $name" }
        "Host=127.0.0.1;Port=$($server.Port);Username=postgres;Password=$($server.Password);Database=$name"
    }
    $round = {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Invoke-Migration -Database (& $fresh) -Path $folder | Out-Null
        $plain = $clock.Elapsed.TotalSeconds
        $target = & $fresh
        $clock.Restart()
        Test-MigrationSafety -Database $target -Path $folder | Out-Null
        $lint = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        $traced = @(Test-MigrationSafety -Database $target -Path $folder -Trace | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] })
        $trace = $clock.Elapsed.TotalSeconds
        $expected = 4 + ($Migrations - 1) + @(1..($Migrations - 1) | Where-Object { $_ % 5 -eq 2 }).Count
        if ($traced.Count -ne $expected) { throw "traced $($traced.Count) statements, not $expected" }
        [pscustomobject]@{ Plain = $plain; Lint = $lint; Trace = $trace; Statements = $traced.Count }
    }
    & $round | Out-Null  # untimed: loads and jits the module's path once
    $rows = foreach ($i in 1..$Rounds) { & $round }
}
finally {
    Remove-Item Env:PGPASSWORD -ErrorAction Ignore
    Stop-TestPostgres $server
    Remove-Item -Recurse -Force $work
}

$plain = Get-Median $rows.Plain
$lint = Get-Median $rows.Lint
$trace = Get-Median $rows.Trace
$table = @(
    "# Trace: $Migrations PostgreSQL migrations ($($rows[0].Statements) statements) over a 10,000-row table"
    ''
    "$(Get-BenchConditions $Rounds), warm pwsh."
    ''
    '| what | seconds | / plain run |'
    '| --- | ---: | ---: |'
    '| Invoke-Migration: apply them to a fresh database | {0:0.00} | 1.00x |' -f $plain
    '| Test-MigrationSafety: lint them (all pending) | {0:0.00} | {1:0.00}x |' -f $lint, ($lint / $plain)
    '| Test-MigrationSafety -Trace: scratch database, trace and apply each, verdicts | {0:0.00} | {1:0.00}x |' -f $trace, ($trace / $plain)
)
$table | Set-Content (Join-Path $PSScriptRoot 'results/trace-latest.md')
$table
