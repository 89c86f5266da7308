# Shared by every *.Tests.ps1 here: BeforeAll { . $PSScriptRoot/Common.ps1 }
# Imports the module as built in this repository, and gives each test a fresh project folder and a fresh
# database on either dialect. PostgreSQL comes from TBM_TEST_POSTGRES (an Npgsql connection string, as
# build.ps1 -Task Test and .ci/run export it); each test gets a database of its own on that server.

$RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ManifestPath = Join-Path $RepositoryRoot 'TradingBot.Migrations.psd1'
Import-Module $ManifestPath -Force

# The dialects every dialect-neutral Describe runs on: Describe '...' -ForEach $Dialects { ... $Dialect ... }
# (Pester evaluates -ForEach at discovery, so files set $Dialects in BeforeDiscovery through Get-TestDialects.)
function Get-TestDialects {
    @(@{ Dialect = 'Sqlite' }, @{ Dialect = 'PostgreSql' })
}

function Get-TestPostgresSettings {
    $value = $env:TBM_TEST_POSTGRES
    if (-not $value) {
        throw 'TBM_TEST_POSTGRES is not set: run the suite through `dotnet pwsh ./build.ps1 -Task Test` (it starts a throwaway server) or set it to an Npgsql connection string.'
    }
    $settings = @{}
    foreach ($pair in $value -split ';') {
        if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $settings[$Matches[1].ToLowerInvariant()] = $Matches[2] }
    }
    [pscustomobject]@{
        Host     = $settings['host']
        Port     = if ($settings['port']) { [int]$settings['port'] } else { 5432 }
        Username = if ($settings['username']) { $settings['username'] } else { $settings['user id'] }
        Password = $settings['password']
        Database = $settings['database']
    }
}

# The password of the test server: no output, error or file a test produces may contain it.
function Get-TestPassword { (Get-TestPostgresSettings).Password }

function Find-Psql {
    $dirs = @(Get-ChildItem -Directory -Path '/usr/lib/postgresql/*/bin' -ErrorAction SilentlyContinue | ForEach-Object FullName)
    foreach ($dir in $dirs) { if (Test-Path "$dir/psql") { return "$dir/psql" } }
    $onPath = Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    throw 'psql is needed to create the test databases (Debian: apt-get install postgresql-client).'
}

# Runs SQL on the test server (on its own database unless -Database names another) and returns psql's output lines.
# -File runs a script file as psql -f does: statement by statement, each in its own transaction unless it says BEGIN.
function Invoke-TestPsql([string] $Sql, [string] $Database, [string] $File) {
    $server = Get-TestPostgresSettings
    if (-not $Database) { $Database = $server.Database }
    $env:PGPASSWORD = $server.Password
    try {
        $what = if ($File) { @('-f', $File) } else { @('-c', $Sql) }
        $output = & (Find-Psql) -X -w -q -At -v ON_ERROR_STOP=1 -h $server.Host -p $server.Port -U $server.Username -d $Database @what 2>&1
        if ($LASTEXITCODE -ne 0) { throw "psql failed: $output" }
        $output
    }
    finally { Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue }
}

# A fresh, empty database: for Sqlite a file path in $TestDrive ('sqlite:<path>'), for PostgreSql a new database on
# the test server (an Npgsql connection string). -AsUrl gives PostgreSQL as a postgres:// URL instead.
function New-TestDatabase {
    param(
        [Parameter(Mandatory)][ValidateSet('Sqlite', 'PostgreSql')] [string] $Dialect,
        [switch] $AsUrl
    )
    $name = 'tbm_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    if ($Dialect -eq 'Sqlite') {
        return 'sqlite:' + (Join-Path $TestDrive "$name.db")
    }
    Invoke-TestPsql "CREATE DATABASE $name" | Out-Null
    $server = Get-TestPostgresSettings
    if ($AsUrl) {
        return "postgres://$([uri]::EscapeDataString($server.Username)):$([uri]::EscapeDataString($server.Password))@$($server.Host):$($server.Port)/$name"
    }
    "Host=$($server.Host);Port=$($server.Port);Username=$($server.Username);Password=$($server.Password);Database=$name"
}

# A project folder in $TestDrive with three dialect-neutral migrations (1.0.1, 1.0.2, 1.0.10: 1.0.10 sorts last).
function New-TestProject {
    $root = Join-Path $TestDrive ([guid]::NewGuid())
    New-Item -ItemType Directory -Path (Join-Path $root 'migrations') | Out-Null
    Set-Content -Path (Join-Path $root 'migrations/1.0.1__create-trades.up.sql') -Value 'CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);'
    Set-Content -Path (Join-Path $root 'migrations/1.0.1__create-trades.down.sql') -Value 'DROP TABLE trades;'
    Set-Content -Path (Join-Path $root 'migrations/1.0.2__add-price.up.sql') -Value 'ALTER TABLE trades ADD COLUMN price REAL;'
    Set-Content -Path (Join-Path $root 'migrations/1.0.2__add-price.down.sql') -Value 'ALTER TABLE trades DROP COLUMN price;'
    Set-Content -Path (Join-Path $root 'migrations/1.0.10__create-orders.up.sql') -Value 'CREATE TABLE orders (id INTEGER PRIMARY KEY);'
    Set-Content -Path (Join-Path $root 'migrations/1.0.10__create-orders.down.sql') -Value 'DROP TABLE orders;'
    $root
}

# The command line that starts this same pwsh as a new process: the pinned tool runs as `dotnet pwsh.dll`, an
# installed pwsh as itself. Killing that process kills pwsh (no shim in between).
function Get-PwshCommandLine {
    $process = [System.Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [System.Reflection.Assembly]::GetEntryAssembly().Location)
    }
    @($process)
}

# Runs a script in a new pwsh process (-NoProfile -NonInteractive, stdin and output redirected, as a CI step runs it)
# and returns its exit code and everything it printed (stdout and stderr). The module is not imported for it.
# -PwshCommandLine starts another pwsh than this one (the precompiled copy of build.ps1 -Task Pwsh).
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string] $Command,
        [string] $WorkingDirectory = (Get-Location).Path,
        [hashtable] $Environment = @{},
        [string[]] $ExtraArguments = @(),
        [string[]] $PwshCommandLine = (Get-PwshCommandLine)
    )
    $commandLine = $PwshCommandLine
    $start = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
    foreach ($argument in $commandLine[1..($commandLine.Count)] + @('-NoLogo', '-NoProfile', '-NonInteractive') + $ExtraArguments + @('-Command', $Command)) {
        if ($null -ne $argument) { $start.ArgumentList.Add($argument) }
    }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        StdOut   = $stdout
        StdErr   = $stderr.Result
        Output   = $stdout + $stderr.Result
    }
}

# What a child pwsh needs first to use the module as built here.
function Get-ImportLine { "`$ErrorActionPreference = 'Stop'; Import-Module '$ManifestPath'" }

# Runs $Sql on $Database as another project's migration would (a folder of its own, history table other_history): a
# table the project's own migrations did not make, as a hot fix or a squatter makes one.
function Invoke-ForeignMigration([string] $Database, [string] $Sql) {
    $folder = Join-Path $TestDrive ([guid]::NewGuid())
    New-Item -ItemType Directory $folder | Out-Null
    Set-Content (Join-Path $folder '0.0.1__foreign.up.sql') $Sql
    Invoke-Migration -Database $Database -Path $folder -HistoryTable other_history | Out-Null
}
