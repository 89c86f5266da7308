#Requires -Version 7.4
# The reading cmdlets over a fleet, in real pwsh, on both databases: Test-MigrationSafety, Export-MigrationSchema and
# Test-MigrationDrift check each target as one target would, tag what they emit with its Target, read every target past
# one that fails, and end in one error naming it. (Invoke/Undo-Migration and Get-MigrationStatus: Fleet.Tests.ps1.)

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # A table made outside the migrations, as a hot fix would be: drift, and (no primary key) a live safety finding.
    function Add-HotFix([string] $Database) { Invoke-ForeignMigration $Database 'CREATE TABLE notes (body TEXT);' }

    # A target that resolves but cannot be read: a SQLite file that is not a database, a PostgreSQL database that is not there.
    function New-UnreadableDatabase([string] $Dialect) {
        if ($Dialect -eq 'Sqlite') {
            $path = Join-Path $TestDrive "$([guid]::NewGuid()).db"
            Set-Content $path ('not a database ' * 10)
            return "sqlite:$path"
        }
        $server = Get-TestPostgresSettings
        "Host=$($server.Host);Port=$($server.Port);Username=$($server.Username);Password=$($server.Password);Database=tbm_pester_missing_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    }

    function Get-TargetName([string] $Database) { (Get-MigrationStatus -Database $Database)[0].Target }
}

Describe 'Reading a fleet on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        Set-Content migrations/1.0.11__drop-symbol.up.sql 'ALTER TABLE trades DROP COLUMN symbol;'
        $tenants = @(1..3 | ForEach-Object { New-TestDatabase -Dialect $Dialect })
        $tenants | Invoke-Migration -TargetVersion 1.0.10 | Out-Null
        Add-HotFix $tenants[1]
        $names = @($tenants | ForEach-Object { Get-TargetName $_ })
    }

    AfterEach {
        Pop-Location
    }

    It 'checks each tenant''s safety live, and names the tenant on every finding' {
        $findings = $tenants | Test-MigrationSafety -ThrottleLimit 2

        @($findings.Target | Sort-Object -Unique) | Should -Be @($names | Sort-Object)
        @($findings | Where-Object Rule -eq drop-column).Target | Sort-Object | Should -Be @($names | Sort-Object)
        @($findings | Where-Object Rule -eq table-without-primary-key).Target | Should -Be $names[1]
        $alone = Test-MigrationSafety -Database $tenants[1]
        @($alone | ForEach-Object { "$($_.Rule) $($_.Version)" }) | Should -Be @($findings | Where-Object Target -eq $names[1] | ForEach-Object { "$($_.Rule) $($_.Version)" })
        if ($Dialect -eq 'PostgreSql') { ($findings.Target -join ' ') | Should -Not -BeLike "*$(Get-TestPassword)*" }
    }

    It 'checks every tenant past one that cannot be read, then fails naming it' {
        $unreadable = New-UnreadableDatabase $Dialect
        $final = $null
        try { $tenants[0], $unreadable, $tenants[2] | Test-MigrationSafety -ThrottleLimit 1 -OutVariable findings -ErrorVariable perTarget -ErrorAction SilentlyContinue | Out-Null } catch { $final = $_ }

        @($findings.Target | Sort-Object -Unique) | Should -Be @($names[0], $names[2] | Sort-Object)
        $final.FullyQualifiedErrorId | Should -Be 'FleetTargetsFailed,TradingBot.Migrations.Commands.TestMigrationSafetyCommand'
        $final.Exception.Message | Should -BeLike '1 of 3 target(s) failed*2 succeeded.'
        # -ErrorVariable also holds the exception that ended the command.
        $failed = @($perTarget | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeIn @('SqliteError,TradingBot.Migrations.Commands.TestMigrationSafetyCommand', 'ConnectionFailed,TradingBot.Migrations.Commands.TestMigrationSafetyCommand')
        if ($Dialect -eq 'PostgreSql') { "$final $($failed[0])" | Should -Not -BeLike "*$(Get-TestPassword)*" }
    }

    It 'fails a CI step once, on every tenant''s unsafe findings together' {
        $output = Invoke-Pwsh -Command "$(Get-ImportLine); '$($tenants -join "','")' | Test-MigrationSafety -FailOn Error | ForEach-Object { 'FINDING ' + `$_.Target }" -WorkingDirectory $project

        $output.ExitCode | Should -Be 1
        @($output.StdOut -split "`n" | Where-Object { $_ -like 'FINDING *' } | Sort-Object -Unique).Count | Should -Be 3
        $output.Output | Should -BeLike '*unsuppressed finding(s) at or above Error on 3 targets*'
    }

    It 'exports each tenant''s schema, each object tagged with its tenant' {
        $objects = $tenants | Export-MigrationSchema

        $tables = $objects | Where-Object Kind -eq Table | Group-Object Target -AsHashTable
        # trades and orders each; the hot fix adds notes and its history table.
        $names | ForEach-Object { $tables[$_].Count } | Should -Be @(2, 4, 2)
        @($objects | Where-Object { $_.Kind -eq 'Table' -and $_.Name -like '*notes' }).Target | Should -Be $names[1]
        { $tenants | Export-MigrationSchema -OutFile schema.txt } | Should -Throw -ErrorId 'OneTargetOnly,TradingBot.Migrations.Commands.ExportMigrationSchemaCommand'
        Test-Path schema.txt | Should -BeFalse
    }

    It 'finds drift on each tenant against its own applied migrations, and fails on all of them together' {
        $drift = $tenants | Test-MigrationDrift
        $final = $null
        try { $tenants | Test-MigrationDrift -FailOn Warning | Out-Null } catch { $final = $_ }

        @($drift.Target | Sort-Object -Unique) | Should -Be $names[1]
        @($drift | Where-Object Name -like '*notes').Difference | Should -Be 'extra'
        $final.FullyQualifiedErrorId | Should -Be 'SchemaDriftFound,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
        $final.Exception.Message | Should -BeLike "1 target(s) differ*$($names[1])*"
        { $tenants | Test-MigrationDrift -RoundTrip } | Should -Throw -ErrorId 'OneTargetOnly,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
    }

    It 'still acts on one tenant exactly as before' {
        $failed = $null
        try { Test-MigrationDrift -Database $tenants[1] -FailOn Warning -OutVariable one | Out-Null } catch { $failed = $_ }

        @($one.Target | Sort-Object -Unique) | Should -Be $names[1]
        $failed.FullyQualifiedErrorId | Should -Be 'SchemaDriftFound,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
        $failed.Exception.Message | Should -BeLike "$($names[1]) differs from migrations up to 1.0.10 replayed in 13 way(s) at or above Warning*"
    }
}

Describe 'One-database cmdlets' {
    It 'refuse several databases with a message that names the cmdlets that take many' {
        $project = New-TestProject
        Push-Location $project
        try {
            { Repair-Migration -Database a.db, b.db -Action UpdateChecksum -Force } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,TradingBot.Migrations.Commands.RepairMigrationCommand' -ExpectedMessage '*-Database takes one database here, and it was given 2*'
            { Set-MigrationBaseline -Database a.db, b.db -Version 1.0.1 -Force } | Should -Throw -ExpectedMessage '*-Database takes one database here*'
            Test-Path a.db | Should -BeFalse
        }
        finally { Pop-Location }
    }
}
