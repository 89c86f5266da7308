#Requires -Version 7.4
# Fleets: many databases in one call, in real pwsh, on both databases.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # Makes 1.0.1 (CREATE TABLE trades) fail on one tenant: a table of that name is there first, made by another project.
    function Break-Tenant([string] $Database) { Invoke-ForeignMigration $Database 'CREATE TABLE trades (id INTEGER PRIMARY KEY);' }

    function Get-AppliedCount([string] $Database) {
        @(Get-MigrationStatus -Database $Database -State Applied).Count
    }

    # Starts a child pwsh running $Command without waiting for it; Wait-Pwsh collects it.
    function Start-Pwsh([string] $Command, [string] $WorkingDirectory) {
        $commandLine = Get-PwshCommandLine
        $start = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
        foreach ($argument in @($commandLine | Select-Object -Skip 1) + @('-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $Command)) { $start.ArgumentList.Add($argument) }
        $start.WorkingDirectory = $WorkingDirectory
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{ Process = $process; StdOut = $process.StandardOutput.ReadToEndAsync(); StdErr = $process.StandardError.ReadToEndAsync() }
    }

    function Wait-Pwsh($Started) {
        $Started.Process.WaitForExit()
        [pscustomobject]@{ ExitCode = $Started.Process.ExitCode; StdOut = $Started.StdOut.Result; Output = $Started.StdOut.Result + $Started.StdErr.Result }
    }
}

Describe 'A fleet on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $tenants = @(1..6 | ForEach-Object { New-TestDatabase -Dialect $Dialect })
    }

    AfterEach {
        Pop-Location
    }

    It 'migrates every piped target, each result tagged with its target and never its password' {
        $results = $tenants | Invoke-Migration -ThrottleLimit 3

        $results.Count | Should -Be 18
        @($results.Target | Sort-Object -Unique).Count | Should -Be 6
        $results | Group-Object Target | ForEach-Object { $_.Group.Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.10') }
        if ($Dialect -eq 'PostgreSql') { ($results.Target -join ' ') | Should -Not -BeLike "*$(Get-TestPassword)*" }
        $tenants | ForEach-Object { Get-AppliedCount $_ | Should -Be 3 }
    }

    It 'stops starting tenants after the first failure, names the tenant in its error, and fails the command' {
        Break-Tenant $tenants[2]
        $final = $null
        try { $tenants | Invoke-Migration -ThrottleLimit 1 -ErrorVariable perTarget -ErrorAction SilentlyContinue | Out-Null } catch { $final = $_ }

        $final.FullyQualifiedErrorId | Should -Be 'FleetTargetsFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        $final.Exception.Message | Should -BeLike '1 of 6 target(s) failed*3 not started*'
        $failed = @($perTarget | Where-Object FullyQualifiedErrorId -Like 'MigrationFailed,*')
        $failed.Count | Should -Be 1
        $target = (Get-MigrationStatus -Database $tenants[2])[0].Target
        $failed[0].TargetObject | Should -Be $target
        $failed[0].ErrorDetails.Message | Should -BeLike "$target*: Migration 1.0.1 failed*"
        Get-AppliedCount $tenants[0] | Should -Be 3
        Get-AppliedCount $tenants[1] | Should -Be 3
        Get-AppliedCount $tenants[2] | Should -Be 0
        $tenants[3..5] | ForEach-Object { Get-AppliedCount $_ | Should -Be 0 }
    }

    It 'with -ContinueOnError migrates every other tenant and still fails the command' {
        Break-Tenant $tenants[2]
        $final = $null
        try { $results = $tenants | Invoke-Migration -ThrottleLimit 2 -ContinueOnError -ErrorVariable perTarget -ErrorAction SilentlyContinue } catch { $final = $_ }

        $final.FullyQualifiedErrorId | Should -BeLike 'FleetTargetsFailed,*'
        @($perTarget | Where-Object FullyQualifiedErrorId -Like 'MigrationFailed,*').Count | Should -Be 1
        0..5 | Where-Object { $_ -ne 2 } | ForEach-Object { Get-AppliedCount $tenants[$_] | Should -Be 3 }
    }

    It 'with a failing canary starts no other tenant, even with -ContinueOnError' {
        Break-Tenant $tenants[1]
        { $tenants | Invoke-Migration -Canary 2 -ContinueOnError -ThrottleLimit 4 -ErrorAction SilentlyContinue } |
            Should -Throw -ExpectedMessage '*A canary failed, so no other target was started.*'

        # The other canary ran beside it: it finished the migration it was in, then stopped.
        Get-AppliedCount $tenants[0] | Should -BeLessOrEqual 3
        $tenants[2..5] | ForEach-Object { Get-AppliedCount $_ | Should -Be 0 }
    }

    It 'under $ErrorActionPreference = Stop still follows -ContinueOnError and ends in one error naming the failed tenant' {
        Break-Tenant $tenants[0]
        $ErrorActionPreference = 'Stop'
        $final = $null
        try { $tenants | Invoke-Migration -ContinueOnError | Out-Null } catch { $final = $_ }

        $final.FullyQualifiedErrorId | Should -BeLike 'FleetTargetsFailed,*'
        $final.Exception.Message | Should -BeLike "*$((Get-MigrationStatus -Database $tenants[0])[0].Target): Migration 1.0.1 failed*"
        $tenants[1..5] | ForEach-Object { Get-AppliedCount $_ | Should -Be 3 }
    }

    It 'rolls every tenant back with Undo-Migration, each result tagged with its tenant' {
        $tenants | Invoke-Migration | Out-Null

        $undone = $tenants | Undo-Migration -TargetVersion 1.0.1 -Force -ThrottleLimit 3

        $undone.Count | Should -Be 12
        @($undone.Target | Sort-Object -Unique).Count | Should -Be 6
        $tenants | ForEach-Object { Get-AppliedCount $_ | Should -Be 1 }
    }

    It 'applies exactly a reviewed plan, and refuses a tenant whose files changed since or that the plan does not name' {
        $written = $tenants | Invoke-Migration -WhatIf -PlanPath plan.json

        $written.Name | Should -Be 'plan.json'
        $tenants | ForEach-Object { Get-AppliedCount $_ | Should -Be 0 }
        $plan = Get-Content plan.json -Raw | ConvertFrom-Json
        $plan.Targets.Count | Should -Be 6
        $plan.Targets | ForEach-Object { $_.Steps.Version | Should -Be @('1.0.1', '1.0.2', '1.0.10'); $_.Steps.Checksum | ForEach-Object { $_ | Should -Match '^[0-9a-f]{64}$' } }
        if ($Dialect -eq 'PostgreSql') { Get-Content plan.json -Raw | Should -Not -BeLike "*$(Get-TestPassword)*" }

        ($tenants[0..2] | Invoke-Migration -Plan plan.json).Count | Should -Be 9

        Set-Content migrations/1.0.11__create-fills.up.sql 'CREATE TABLE fills (id INTEGER PRIMARY KEY);'
        $final = $null
        try { $tenants[3..5] | Invoke-Migration -Plan plan.json -ContinueOnError -ErrorVariable perTarget -ErrorAction SilentlyContinue | Out-Null } catch { $final = $_ }
        $final.FullyQualifiedErrorId | Should -BeLike 'FleetTargetsFailed,*'
        @($perTarget | Where-Object FullyQualifiedErrorId -Like 'PlanChanged,*').Count | Should -Be 3
        $tenants[3..5] | ForEach-Object { Get-AppliedCount $_ | Should -Be 0 }
        { Invoke-Migration -Database (New-TestDatabase -Dialect $Dialect) -Plan plan.json } |
            Should -Throw -ErrorId 'PlanChanged,TradingBot.Migrations.Commands.InvokeMigrationCommand' -ExpectedMessage '*not in the plan*'
        { Invoke-Migration -Database $tenants[3] -Plan migrations.missing.json } | Should -Throw -ErrorId 'InvalidPlanFile,TradingBot.Migrations.Commands.InvokeMigrationCommand'
    }

    It 'answers which tenants are behind in one pipeline' {
        $tenants[0..1] | Invoke-Migration | Out-Null

        $behind = $tenants | Get-MigrationStatus -State Pending | Group-Object Target

        $behind.Count | Should -Be 4
        $behind | ForEach-Object { $_.Count | Should -Be 3 }
    }

    It 'applies each migration once when two fleet runs over overlapping tenants run at once' {
        $lists = @(($tenants[0..3] | ForEach-Object { "'$_'" }) -join ','), @(($tenants[2..5] | ForEach-Object { "'$_'" }) -join ',')
        $runs = $lists | ForEach-Object {
            Start-Pwsh "$(Get-ImportLine); $_ | Invoke-Migration -ThrottleLimit 4 | ForEach-Object { 'RESULT ' + `$_.Target + ' ' + `$_.Version + ' ' + `$_.Status }" $project
        }
        $done = $runs | ForEach-Object { Wait-Pwsh $_ }

        $done | ForEach-Object { $_.ExitCode | Should -Be 0 -Because $_.Output }
        $succeeded = @($done.StdOut -split "`n" | Where-Object { $_ -like 'RESULT * Succeeded*' })
        $succeeded.Count | Should -Be 18
        $tenants | ForEach-Object { Get-AppliedCount $_ | Should -Be 3 }
    }
}

Describe 'Fleet input' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
    }

    AfterEach {
        Pop-Location
    }

    It 'takes strings, objects with a Database or ConnectionString property, and Import-Csv rows' {
        $a, $b, $c, $d = 1..4 | ForEach-Object { New-TestDatabase -Dialect Sqlite }
        "Database`n$c`n$d" | Set-Content tenants.csv

        $results = @($a | Invoke-Migration) +
            @([pscustomobject]@{ Database = $b } | Invoke-Migration) +
            @([pscustomobject]@{ ConnectionString = $c } | Invoke-Migration) +
            @(Import-Csv tenants.csv | Invoke-Migration)

        @($results.Target | Sort-Object -Unique).Count | Should -Be 4
        ($results | Where-Object Target -Like '*' | Group-Object Target | ForEach-Object Count) | Should -Be @(3, 3, 3, 3)
    }

    It 'takes -Database as an array, and runs a database given twice once' {
        $a, $b = 1..2 | ForEach-Object { New-TestDatabase -Dialect Sqlite }

        $results = Invoke-Migration -Database $a, $b, $a

        $results.Count | Should -Be 6
    }

    It 'still takes piped status objects as the target version of one database' {
        $database = New-TestDatabase -Dialect Sqlite

        $results = Get-MigrationStatus -Database $database | Where-Object Version -le 1.0.2 | Invoke-Migration -Database $database

        $results.Version.Text | Should -Be @('1.0.1', '1.0.2')
    }

    It 'refuses rows piped from other databases when nothing says where to run, and runs them where -Database says' {
        $a, $b = 1..2 | ForEach-Object { New-TestDatabase -Dialect Sqlite }
        $default = 'sqlite:' + (Join-Path $project 'dev.db')
        Invoke-Migration -Database $a, $b | Out-Null
        Invoke-Migration | Out-Null # the default target, at the same versions

        { Get-MigrationStatus -Database $a, $b | Where-Object Version -EQ 1.0.10 | Undo-Migration -Force } |
            Should -Throw -ErrorId 'PipedRowsOfAnotherTarget,TradingBot.Migrations.Commands.UndoMigrationCommand' -ExpectedMessage '*would run on*dev.db instead. Nothing was run.'
        { Get-MigrationStatus -Database $a | Invoke-Migration } | Should -Throw -ErrorId 'PipedRowsOfAnotherTarget,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        @($a, $b, $default | ForEach-Object { Get-AppliedCount $_ }) | Should -Be @(3, 3, 3)

        $undone = Get-MigrationStatus -Database $a, $b | Where-Object Version -EQ 1.0.10 | Undo-Migration -Database $a, $b -Force
        @($undone.Target | Sort-Object -Unique).Count | Should -Be 2
        @($a, $b, $default | ForEach-Object { Get-AppliedCount $_ }) | Should -Be @(2, 2, 3)
        # The default target's own rows still pipe without naming it.
        (Get-MigrationStatus | Where-Object Version -EQ 1.0.10 | Undo-Migration -Force).Version.Text | Should -Be '1.0.10'
    }

    It 'runs every database of a list environment, and of a variable with one URL per line; a one-database cmdlet refuses them' {
        Set-Content migrations.psd1 "@{ Environments = @{ tenants = @{ Database = @('sqlite:./t1.db', 'sqlite:./t2.db') }; fromvar = @{ DatabaseUrlVariable = 'TBM_TEST_TENANTS' } } }"

        $results = Invoke-Migration -Environment tenants
        $env:TBM_TEST_TENANTS = "sqlite:./t3.db`nsqlite:./t4.db`n"
        try { $status = Get-MigrationStatus -Environment fromvar } finally { Remove-Item Env:TBM_TEST_TENANTS }

        @($results.Target | Sort-Object -Unique) | Should -Be @((Join-Path $project t1.db), (Join-Path $project t2.db))
        @($results.Environment | Sort-Object -Unique) | Should -Be 'tenants'
        @($status.Target | Sort-Object -Unique) | Should -Be @((Join-Path $project t3.db), (Join-Path $project t4.db))
        { Repair-Migration -Environment tenants -Action UpdateChecksum -Force } | Should -Throw -ErrorId 'OneTargetOnly,TradingBot.Migrations.Commands.RepairMigrationCommand'
    }

    It 'refuses a bad target before any target runs' {
        $a = New-TestDatabase -Dialect Sqlite

        { $a, 'sqlite:./no/such/folder/x.db' | Invoke-Migration } | Should -Throw -ErrorId 'SqliteFolderNotFound,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        Get-AppliedCount $a | Should -Be 0
    }
}

Describe 'Shards' {
    BeforeAll {
        $project = New-TestProject
        $targets = @(1..30 | ForEach-Object { 'sqlite:' + (Join-Path $project "tenant-$_.db") })
    }

    It 'shards 1/3, 2/3 and 3/3 cover the list exactly once, whatever its order' {
        $shards = 1..3 | ForEach-Object { , @($targets | Get-MigrationStatus -Path (Join-Path $project migrations) -Shard "$_/3" | ForEach-Object Target | Sort-Object -Unique) }
        $reversed = @($targets[29..0] | Get-MigrationStatus -Path (Join-Path $project migrations) -Shard 2/3 | ForEach-Object Target | Sort-Object -Unique)

        $all = @($shards | ForEach-Object { $_ })
        $all.Count | Should -Be 30
        @($all | Sort-Object -Unique).Count | Should -Be 30
        $reversed | Should -Be $shards[1]
    }

    It 'reads the node from CircleCI''s variables with -Shard CircleCI' {
        $env:CIRCLE_NODE_INDEX = '1'; $env:CIRCLE_NODE_TOTAL = '3'
        try {
            $fromCircle = @($targets | Get-MigrationStatus -Path (Join-Path $project migrations) -Shard CircleCI | ForEach-Object Target | Sort-Object -Unique)
        }
        finally { Remove-Item Env:CIRCLE_NODE_INDEX, Env:CIRCLE_NODE_TOTAL }

        $fromCircle | Should -Be @($targets | Get-MigrationStatus -Path (Join-Path $project migrations) -Shard 2/3 | ForEach-Object Target | Sort-Object -Unique)
    }

    It 'merges the JSON results of every shard into one report: a JUnit test case per target and migration' {
        Push-Location $project
        try {
            $tenants = @(1..9 | ForEach-Object { New-TestDatabase -Dialect Sqlite })
            foreach ($i in 1..3) {
                $tenants | Invoke-Migration -Shard "$i/3" | Export-MigrationReport -Format Json -Path "results/shard-$i.json" | Out-Null
            }

            Export-MigrationReport -Merge results/*.json -Format JUnit -Path fleet.xml | Out-Null
            Export-MigrationReport -Merge results/shard-1.json, results/shard-2.json, results/shard-3.json -Format Json -Path fleet.json | Out-Null

            $cases = ([xml](Get-Content fleet.xml -Raw)).testsuites.testsuite.testcase
            $cases.Count | Should -Be 27
            @($cases.classname | Sort-Object -Unique).Count | Should -Be 9
            @($cases | Where-Object { $_.failure }).Count | Should -Be 0
            @(Get-Content fleet.json -Raw | ConvertFrom-Json).Count | Should -Be 27
            # A file matched twice is read once; one target in two files (a re-run shard's old and new report) is refused.
            Export-MigrationReport -Merge results/*.json, results/shard-2.json -Format Json -Path again.json | Out-Null
            @(Get-Content again.json -Raw | ConvertFrom-Json).Count | Should -Be 27
            Copy-Item results/shard-2.json rerun-shard-2.json
            { Export-MigrationReport -Merge results/*.json, rerun-shard-2.json -Format Json -Path twice.json } |
                Should -Throw -ErrorId 'InvalidReportFile,TradingBot.Migrations.Commands.ExportMigrationReportCommand' -ExpectedMessage '*is reported in both*shard-2.json and*rerun-shard-2.json*'
            Test-Path twice.json | Should -BeFalse
            { Export-MigrationReport -Merge tenants-missing.json -Format Json -Path x.json } | Should -Throw -ErrorId 'InvalidReportFile,TradingBot.Migrations.Commands.ExportMigrationReportCommand'
            Set-Content not-a-report.json '{ "a": 1 }'
            { Export-MigrationReport -Merge not-a-report.json -Format Json -Path x.json } | Should -Throw -ErrorId 'InvalidReportFile,TradingBot.Migrations.Commands.ExportMigrationReportCommand'
        }
        finally { Pop-Location }
    }

    It 'refuses a shard that is not i/n' {
        { $targets | Invoke-Migration -Path (Join-Path $project migrations) -Shard 4/3 } | Should -Throw -ErrorId 'InvalidShard,TradingBot.Migrations.Commands.InvokeMigrationCommand'
    }
}

Describe 'Many databases in one call' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
    }

    AfterEach {
        Pop-Location
    }

    It 'migrates 200 SQLite tenant files' {
        $tenants = @(1..200 | ForEach-Object { New-TestDatabase -Dialect Sqlite })

        $results = $tenants | Invoke-Migration -ThrottleLimit 8

        $results.Count | Should -Be 600
        @($results | Where-Object Status -ne Succeeded).Count | Should -Be 0
        @($tenants | Get-MigrationStatus -State Applied).Count | Should -Be 600
    }

    It 'migrates 20 PostgreSQL databases' {
        $tenants = @(1..20 | ForEach-Object { New-TestDatabase -Dialect PostgreSql -AsUrl })

        $results = $tenants | Invoke-Migration -ThrottleLimit 4

        $results.Count | Should -Be 60
        @($results.Target | Sort-Object -Unique).Count | Should -Be 20
        ($results.Target -join ' ') | Should -Not -BeLike "*$(Get-TestPassword)*"
        @($tenants | Get-MigrationStatus -State Applied).Count | Should -Be 60
    }
}

Describe 'Ctrl+C in the middle of a fleet on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory (Join-Path $project migrations) | Out-Null
        foreach ($i in 1..6) {
            Set-Content (Join-Path $project "migrations/1.0.${i}__step-$i.up.postgres.sql") "CREATE TABLE step_$i (id integer); SELECT pg_sleep(0.3);"
            Set-Content (Join-Path $project "migrations/1.0.${i}__step-$i.up.sqlite.sql") "CREATE TABLE step_$i (id integer); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c;"
        }
        $tenants = @(1..6 | ForEach-Object { New-TestDatabase -Dialect $Dialect })
    }

    It 'stops every tenant cleanly: each has whole migrations only, and the next run finishes them' {
        # The child pwsh stops the running command as Ctrl+C does (the pipeline's Stop), once the first results are out.
        $list = ($tenants | ForEach-Object { "'$_'" }) -join ','
        $script = @"
$(Get-ImportLine)
`$ps = [powershell]::Create().AddScript("Set-Location '$project'; Import-Module '$ManifestPath'; $list | Invoke-Migration -ThrottleLimit 3")
`$output = [System.Management.Automation.PSDataCollection[psobject]]::new()
`$running = `$ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), `$output)
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (`$output.Count -lt 2 -and -not `$running.IsCompleted -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 20 }
`$ps.Stop()
'STATE ' + `$ps.InvocationStateInfo.State
'RESULTS ' + `$output.Count
"@
        $run = Invoke-Pwsh -Command $script -WorkingDirectory $project

        $run.Output | Should -Match 'STATE Stopped'
        [int]($run.StdOut -replace '(?s).*RESULTS (\d+).*', '$1') | Should -BeLessThan 36
        foreach ($tenant in $tenants) {
            $states = @(Get-MigrationStatus -Database $tenant -Path (Join-Path $project migrations))
            $states.State | Should -Not -Contain 'Failed'
            $applied = @($states | Where-Object State -eq Applied).Count
            # Applied versions are a prefix: nothing pending before an applied one.
            @($states | Select-Object -First $applied | Where-Object State -ne Applied).Count | Should -Be 0
        }
        # A migration half-applied (its table without its history row) would make this run fail on CREATE TABLE.
        $rest = $tenants | Invoke-Migration -Path (Join-Path $project migrations) -ThrottleLimit 6
        $tenants | ForEach-Object { @(Get-MigrationStatus -Database $_ -Path (Join-Path $project migrations) -State Applied).Count | Should -Be 6 }
        $rest.Count | Should -BeLessThan 36
    }
}
