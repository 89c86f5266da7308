# Helpers for Errors.Tests.ps1 (dot-source after Common.ps1): child pwsh runs that report the error they caught, and
# holders of the run lock in another process.

# Runs $Script in a new pwsh (as Invoke-Pwsh: -NonInteractive, no console) after importing the module. An error it
# throws comes back as .Error (Id, Message, Action, Category) and the process exits 2; otherwise .Error is $null.
function Invoke-PwshCatching {
    param([Parameter(Mandatory)] [string] $Script, [string] $WorkingDirectory = (Get-Location).Path, [hashtable] $Environment = @{})
    $catch = '[pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Action = $_.ErrorDetails.RecommendedAction; Category = "$($_.CategoryInfo.Category)" } | ConvertTo-Json -Compress; exit 2'
    $run = Invoke-Pwsh -Command "$(Get-ImportLine); try { $Script } catch { $catch }" -WorkingDirectory $WorkingDirectory -Environment $Environment
    $json = ($run.StdOut -split "`n" | Where-Object { $_ -like '{"Id":*' } | Select-Object -Last 1)
    $run | Add-Member -NotePropertyName Error -NotePropertyValue ($json ? ($json | ConvertFrom-Json) : $null) -PassThru
}

function Remove-Ansi([string] $Text) { $Text -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }

function Get-TestDatabaseName([string] $Database) {
    ($Database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
}

# The key of the module's PostgreSQL advisory lock for a history table (PostgresAdvisoryLock.KeyFor).
function Get-RunLockKey([string] $HistoryTable = 'schema_migrations') {
    $hash = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes("TradingBot.Migrations:$HistoryTable"))
    [System.Buffers.Binary.BinaryPrimitives]::ReadInt64BigEndian($hash)
}

function Start-TestProcess([string] $FileName, [string[]] $Arguments, [hashtable] $Environment = @{}, [string] $WorkingDirectory = (Get-Location).Path) {
    $start = [System.Diagnostics.ProcessStartInfo]::new($FileName)
    foreach ($argument in $Arguments) { $start.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($start)
}

function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Seconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting for $What." }
        Start-Sleep -Milliseconds 100
    }
}

# Holds the module's run lock on a PostgreSQL test database from a psql session of its own (pg_advisory_lock with the
# module's key), until Stop-LockHolder.
function Start-PostgresLockHolder([string] $Database) {
    $server = Get-TestPostgresSettings
    $name = Get-TestDatabaseName $Database
    $arguments = @('-X', '-w', '-q', '-At', '-h', $server.Host, '-p', [string]$server.Port, '-U', $server.Username, '-d', $name,
        '-c', "SELECT pg_advisory_lock($(Get-RunLockKey))", '-c', 'SELECT pg_sleep(120)')
    $process = Start-TestProcess (Find-Psql) $arguments @{ PGPASSWORD = $server.Password }
    $held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    Wait-Until { $process.HasExited -or (Invoke-TestPsql $held -Database $name) -ne '0' } 'psql to take the advisory lock'
    if ($process.HasExited) { throw "psql exited: $($process.StandardError.ReadToEnd())" }
    [pscustomobject]@{ Process = $process; Release = $null }
}

# Holds SQLite's write lock from another pwsh process: it applies a PowerShell migration (1.0.11) whose Up waits in its
# write transaction until Stop-LockHolder.
function Start-SqliteLockHolder([string] $Database, [string] $ProjectFolder) {
    $held = Join-Path $TestDrive "held-$([guid]::NewGuid())"
    $release = Join-Path $TestDrive "release-$([guid]::NewGuid())"
    Set-Content -Path (Join-Path $ProjectFolder 'migrations/1.0.11__hold.ps1') -Value @'
@{
    Up = {
        param($Migration)
        Set-Content -Path $env:TBM_HELD -Value 'held'
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $env:TBM_RELEASE) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    }
    Down = { param($Migration) }
}
'@
    $commandLine = Get-PwshCommandLine
    $arguments = @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "$(Get-ImportLine); Invoke-Migration -Database '$Database' | Out-Null")
    $process = Start-TestProcess $commandLine[0] $arguments @{ TBM_HELD = $held; TBM_RELEASE = $release } $ProjectFolder
    Wait-Until { $process.HasExited -or (Test-Path $held) } 'the holder to open its write transaction'
    if ($process.HasExited) { throw "The holder exited: $($process.StandardOutput.ReadToEnd()) $($process.StandardError.ReadToEnd())" }
    [pscustomobject]@{ Process = $process; Release = $release }
}

function Start-LockHolder([string] $Dialect, [string] $Database, [string] $ProjectFolder) {
    if ($Dialect -eq 'PostgreSql') { Start-PostgresLockHolder $Database } else { Start-SqliteLockHolder $Database $ProjectFolder }
}

function Stop-LockHolder($Holder) {
    if (-not $Holder) { return }
    if ($Holder.Release) {
        Set-Content -Path $Holder.Release -Value 'release'
        if (-not $Holder.Process.WaitForExit(30000)) { $Holder.Process.Kill() }
    }
    else { $Holder.Process.Kill() }
    $Holder.Process.WaitForExit()
}
