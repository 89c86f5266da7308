#Requires -Version 7.4
# Invoke-Migration -LockRetry in real pwsh on PostgreSQL: a migration blocked by another session's lock is retried while
# its lock_timeout runs out, shows each retry on the verbose stream, records its attempts, and names them when it gives up.

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # Another session (psql, in the background) that holds ACCESS EXCLUSIVE on trades for $Seconds, then commits.
    function Start-LockHolder([string] $DatabaseName, [double] $Seconds) {
        $server = Get-TestPostgresSettings
        $start = [System.Diagnostics.ProcessStartInfo]::new((Find-Psql))
        foreach ($argument in @('-X', '-w', '-q', '-h', $server.Host, '-p', $server.Port, '-U', $server.Username, '-d', $DatabaseName,
                '-c', "BEGIN; LOCK TABLE trades IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($Seconds); COMMIT;")) {
            $start.ArgumentList.Add([string]$argument)
        }
        $start.Environment['PGPASSWORD'] = $server.Password
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        # Wait until the lock is really held, so the migration meets it.
        while ((Invoke-TestPsql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'trades' AND l.mode = 'AccessExclusiveLock' AND l.granted" -Database $DatabaseName) -ne '1') {
            if ($process.HasExited) { throw "the lock holder exited: $($process.StandardError.ReadToEnd())" }
            Start-Sleep -Milliseconds 50
        }
        $process
    }
}

Describe 'Invoke-Migration -LockRetry on PostgreSQL' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $env:TBM_LOCK_RETRY_DATABASE_URL = New-TestDatabase -Dialect PostgreSql -AsUrl
        $databaseName = ([uri]$env:TBM_LOCK_RETRY_DATABASE_URL).AbsolutePath.TrimStart('/')
        Set-Content -Path ./migrations.psd1 -Value @'
@{
    Environments = @{
        ci = @{ DatabaseUrlVariable = 'TBM_LOCK_RETRY_DATABASE_URL'; PostgresLockTimeout = '200ms'; PostgresLockRetries = 6 }
    }
}
'@
        Invoke-Migration -Environment ci -TargetVersion 1.0.1 | Out-Null
    }

    AfterEach {
        Invoke-TestPsql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$databaseName' AND pid <> pg_backend_pid()" | Out-Null
        Remove-Item Env:TBM_LOCK_RETRY_DATABASE_URL -ErrorAction SilentlyContinue
        Pop-Location
    }

    It 'succeeds once the holder lets go within the retries, shows each retry and records the attempts' {
        $holder = Start-LockHolder $databaseName 2

        $verbose = Invoke-Migration -Environment ci -TargetVersion 1.0.2 -Verbose 4>&1

        $holder.WaitForExit()
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*lock_timeout (lock_not_available) on attempt 1 of 7*' }) | Should -Not -BeNullOrEmpty
        ($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Status | Should -Be 'Succeeded'
        [int](Invoke-TestPsql "SELECT attempts FROM schema_migrations WHERE version = '1.0.2'" -Database $databaseName) | Should -BeGreaterThan 1
    }

    It 'fails naming the attempts when the holder keeps the lock, and -LockRetry overrides the environment' {
        $null = Start-LockHolder $databaseName 60

        { Invoke-Migration -Environment ci -TargetVersion 1.0.2 -LockRetry 1 -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*Gave up after 2 attempts, each stopped by lock_timeout*'
        Invoke-TestPsql "SELECT count(*) FROM schema_migrations WHERE version = '1.0.2'" -Database $databaseName | Should -Be '0'
    }
}
