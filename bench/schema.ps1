#Requires -Version 7.4
# Issue 17: Export-MigrationSchema of a 500-table PostgreSQL schema, and Test-MigrationDrift between two such databases,
# against `pg_dump --schema-only` of the same databases on the same server in the same run. Each table has five columns,
# a primary key, a foreign key to the table before it, a CHECK and an index; the second database has 10 extra indexes
# and 5 changed defaults. The module runs in this warm pwsh (one untimed round first); pg_dump is a fresh process each
# time, as CI runs it; one more row times the export in a fresh pwsh that imports the module first. Prints a Markdown
# table and writes it to bench/results/schema-latest.md. Timings are reported, never asserted.
#
#   dotnet pwsh bench/schema.ps1                  # 500 tables, 3 rounds
#   dotnet pwsh bench/schema.ps1 -Tables 50 -Rounds 1
param(
    [int] $Tables = 500,
    [int] $Rounds = 3
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
. (Join-Path $root 'build/TestPostgres.ps1')
. (Join-Path $PSScriptRoot 'lib/Bench.ps1')
$manifest = Join-Path $root 'TradingBot.Migrations.psd1'
Import-Module $manifest
# The pwsh the local tool manifest pins runs as `dotnet pwsh.dll`, as run.sh starts it.
$pwshDll = [Reflection.Assembly]::GetEntryAssembly().Location

$work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "tbm-schema-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))")
$schema = [Text.StringBuilder]::new()
foreach ($i in 1..$Tables) {
    $parent = if ($i -gt 1) { ", parent_id bigint REFERENCES t_$($i - 1) (id) ON DELETE CASCADE" } else { '' }
    [void]$schema.Append("CREATE TABLE t_$i (id bigint PRIMARY KEY, symbol text NOT NULL, price numeric(18, 6) NOT NULL DEFAULT 0 CHECK (price >= 0), created_at timestamptz NOT NULL DEFAULT now()$parent);`n")
    [void]$schema.Append("CREATE INDEX t_${i}_symbol ON t_$i (symbol, created_at);`n")
}
$drift = [Text.StringBuilder]::new()
foreach ($i in 1..10) { [void]$drift.Append("CREATE INDEX t_$([Math]::Max(1, [int]($Tables * $i / 10)))_hotfix ON t_$([Math]::Max(1, [int]($Tables * $i / 10))) (price);`n") }
foreach ($i in 1..5) { [void]$drift.Append("ALTER TABLE t_$([Math]::Max(1, [int]($Tables * $i / 5))) ALTER COLUMN price SET DEFAULT 1;`n") }
Set-Content -NoNewline -Path (Join-Path $work 'schema.sql') -Value $schema.ToString()
Set-Content -NoNewline -Path (Join-Path $work 'drift.sql') -Value $drift.ToString()

$server = Start-TestPostgres
try {
    $psql = Join-Path $server.Bin 'psql'
    $pgDump = Join-Path $server.Bin 'pg_dump'
    $env:PGPASSWORD = $server.Password
    function Invoke-Psql([string] $Database, [string[]] $Arguments) {
        & $psql -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $server.Port -U postgres -d $Database @Arguments | Out-Null
        if ($LASTEXITCODE) { throw "psql failed on $Database" }
    }
    foreach ($name in 'schema_a', 'schema_b') {
        Invoke-Psql postgres @('-c', "CREATE DATABASE $name")
        Invoke-Psql $name @('-f', (Join-Path $work 'schema.sql'))
    }
    Invoke-Psql schema_b @('-f', (Join-Path $work 'drift.sql'))
    $url = { param($name) "Host=127.0.0.1;Port=$($server.Port);Username=postgres;Password=$($server.Password);Database=$name" }
    $a = & $url 'schema_a'
    $b = & $url 'schema_b'
    $dump = {
        param($name)
        & $pgDump -w -h 127.0.0.1 -p $server.Port -U postgres --schema-only -f (Join-Path $work "$name.dump.sql") $name
        if ($LASTEXITCODE) { throw "pg_dump failed on $name" }
    }

    # Untimed: loads and jits the module's path once, as a long-lived pwsh would have.
    Export-MigrationSchema -Database $a -OutFile (Join-Path $work 'warmup.txt') | Out-Null
    Test-MigrationDrift -Reference $a -Difference $b | Out-Null

    $rows = foreach ($round in 1..$Rounds) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Export-MigrationSchema -Database $a -OutFile (Join-Path $work 'schema_a.txt') | Out-Null
        $export = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        $differences = @(Test-MigrationDrift -Reference $a -Difference $b)
        $driftSeconds = $clock.Elapsed.TotalSeconds
        if ($differences.Count -ne 15) { throw "Test-MigrationDrift found $($differences.Count) differences, not 15" }
        $clock.Restart()
        & $dump 'schema_a'
        $dumpOne = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        & $dump 'schema_a'
        & $dump 'schema_b'
        $dumpTwo = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        $env:TBM_BENCH_URL = $a
        dotnet $pwshDll -NoProfile -NonInteractive -c "`$ErrorActionPreference = 'Stop'; Import-Module '$manifest'; Export-MigrationSchema -Database `$env:TBM_BENCH_URL -OutFile '$(Join-Path $work 'cold.txt')' | Out-Null"
        if ($LASTEXITCODE) { throw 'the cold export failed' }
        $cold = $clock.Elapsed.TotalSeconds
        [pscustomobject]@{ Export = $export; Drift = $driftSeconds; DumpOne = $dumpOne; DumpTwo = $dumpTwo; Cold = $cold }
    }
    $objects = @(Export-MigrationSchema -Database $a).Count
    $bytes = (Get-Item (Join-Path $work 'schema_a.txt')).Length
    $dumpBytes = (Get-Item (Join-Path $work 'schema_a.dump.sql')).Length
}
finally {
    Remove-Item Env:PGPASSWORD, Env:TBM_BENCH_URL -ErrorAction Ignore
    Stop-TestPostgres $server
    Remove-Item -Recurse -Force $work
}

$export = Get-Median $rows.Export
$driftTime = Get-Median $rows.Drift
$dumpOne = Get-Median $rows.DumpOne
$dumpTwo = Get-Median $rows.DumpTwo
$cold = Get-Median $rows.Cold
$table = @(
    "# Schema: $Tables PostgreSQL tables ($objects objects), export and drift against pg_dump --schema-only"
    ''
    "$(Get-BenchConditions $Rounds)."
    ''
    '| what | module (s) | pg_dump --schema-only (s) | module / pg_dump |'
    '| --- | ---: | ---: | ---: |'
    '| export one database to a file, warm pwsh ({0:N0} bytes; pg_dump {1:N0}) | {2:0.00} | {3:0.00} | {4:0.00}x |' -f $bytes, $dumpBytes, $export, $dumpOne, ($export / $dumpOne)
    '| export, cold: a fresh pwsh that imports the module first | {0:0.00} | {1:0.00} | {2:0.00}x |' -f $cold, $dumpOne, ($cold / $dumpOne)
    '| drift between two databases, warm pwsh (15 differences; pg_dump: both dumped) | {0:0.00} | {1:0.00} | {2:0.00}x |' -f $driftTime, $dumpTwo, ($driftTime / $dumpTwo)
)
$table | Set-Content (Join-Path $PSScriptRoot 'results/schema-latest.md')
$table
