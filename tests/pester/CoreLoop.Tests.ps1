#Requires -Version 7.4
# The core loop in real pwsh, on both databases. Run the whole suite with `dotnet pwsh ./build.ps1 -Task Test`.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
}

Describe 'The module' {
    It 'exports the migration cmdlets' {
        $names = (Get-Command -Module TradingBot.Migrations).Name
        $names | Should -Contain 'Invoke-Migration'
        $names | Should -Contain 'Undo-Migration'
        $names | Should -Contain 'Get-MigrationStatus'
        $names | Should -Contain 'New-Migration'
    }

    It 'has a valid manifest' {
        { Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'The core loop on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
    }

    AfterEach {
        Pop-Location
    }

    It 'applies pending migrations and reports them applied' {
        $results = Invoke-Migration -Database $database
        $results.Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.10')
        $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        (Get-MigrationStatus -Database $database | Where-Object State -eq Applied).Count | Should -Be 3
    }

    It 'compares versions part by part' {
        (Get-MigrationStatus -Database $database | Where-Object Version -gt 1.0.2).Version.Text | Should -Be '1.0.10'
    }

    It 'rolls back newest first to a target version' {
        Invoke-Migration -Database $database | Out-Null
        $undone = Undo-Migration -Database $database -TargetVersion 1.0.1 -Confirm:$false
        $undone.Version.Text | Should -Be @('1.0.10', '1.0.2')
        (Get-MigrationStatus -Database $database | Where-Object State -eq Pending).Count | Should -Be 2
    }

    It 'takes piped status objects' {
        Invoke-Migration -Database $database | Out-Null
        $undone = Get-MigrationStatus -Database $database | Where-Object Version -gt 1.0.1 | Undo-Migration -Database $database -Force
        $undone.Count | Should -Be 2
    }

    It 'stops at a failing migration with an error naming the file and line' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value "SELECT 1;`nINSERT INTO nowhere VALUES (1);"
        { Invoke-Migration -Database $database -ErrorAction Stop } | Should -Throw -ErrorId 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.11).State | Should -Be 'Pending'
        (Get-MigrationStatus -Database $database | Where-Object State -eq Applied).Count | Should -Be 3
        $failure = $null
        try { Invoke-Migration -Database $database -ErrorAction Stop } catch { $failure = $_ }
        $failure.Exception.Message | Should -BeLike '*1.0.11__broken.up.sql at line 2*'
    }

    It 'applies and rolls back everything without showing the password' {
        $all = @(Invoke-Migration -Database $database -Verbose 4>&1) + @(Undo-Migration -All -Database $database -Force -Verbose 4>&1)
        $all.Count | Should -BeGreaterThan 6
        if ($Dialect -eq 'PostgreSql') {
            ($all | Out-String) | Should -Not -BeLike "*$(Get-TestPassword)*"
        }
    }
}

Describe 'The default database and scaffolding' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
    }

    AfterEach {
        Pop-Location
    }

    It 'applies to ./dev.db when nothing names a database' {
        Invoke-Migration | Out-Null
        'dev.db' | Should -Exist
        (Get-MigrationStatus | Where-Object State -eq Applied).Count | Should -Be 3
    }

    It 'changes nothing under -WhatIf' {
        Invoke-Migration -WhatIf
        'dev.db' | Should -Not -Exist
    }

    It 'exits non-zero under pwsh -c when a run fails' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value 'INSERT INTO nowhere VALUES (1);'
        $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration"
        $run.ExitCode | Should -Be 1
        $run.Output | Should -BeLike '*1.0.11__broken.up.sql*'
    }

    It 'scaffolds the next version with New-Migration' {
        $files = New-Migration -Name add-fees
        $files.Name | Should -Be @('1.0.11__add-fees.up.sql', '1.0.11__add-fees.down.sql')
    }

    It 'refuses a name that would leave the folder' {
        { New-Migration -Name '../escape' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMigrationName,TradingBot.Migrations.Commands.NewMigrationCommand'
    }
}

Describe 'Environments, configuration and reports' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        Set-Content -Path migrations.psd1 -Value @'
@{
    DefaultEnvironment = 'dev'
    Environments = @{
        dev  = @{ Database = 'sqlite:./dev.db' }
        prod = @{ DatabaseUrlVariable = 'TBM_PESTER_PROD_URL'; Protected = $true }
    }
}
'@
        $env:TBM_PESTER_PROD_URL = 'sqlite:./prod.db'
    }

    AfterEach {
        Remove-Item Env:TBM_PESTER_PROD_URL -ErrorAction SilentlyContinue
        Pop-Location
    }

    It 'names the environment on every object' {
        $results = Invoke-Migration -Environment prod
        $results.Environment | Sort-Object -Unique | Should -Be 'prod'
        (Get-MigrationStatus).Environment | Sort-Object -Unique | Should -Be 'dev'
    }

    It 'completes environment names from migrations.psd1' {
        $line = 'Get-MigrationStatus -Environment p'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'prod'
    }

    It 'refuses an override in a protected environment' {
        { Invoke-Migration -Environment prod -AllowModified -ErrorAction Stop } | Should -Throw -ErrorId 'ProtectedEnvironmentOverrideRefused*'
    }

    It 'names a missing variable' {
        Remove-Item Env:TBM_PESTER_PROD_URL
        { Get-MigrationStatus -Environment prod -ErrorAction Stop } | Should -Throw '*TBM_PESTER_PROD_URL*'
    }

    It 'serialises flat records to JSON and CSV' {
        Invoke-Migration | Out-Null
        $text = Get-MigrationStatus -AsPlainObject | ConvertTo-Json
        $text | Should -Match '"Version": "1\.0\.1"'
        $text | Should -Match '"State": "Applied"'
        $text | Should -Match '"AppliedAt": "\d{4}-\d\d-\d\dT[\d:.]+Z"'
        Get-MigrationStatus -AsPlainObject | Export-Csv status.csv
        (Import-Csv status.csv)[2].Version | Should -Be '1.0.10'
    }

    It 'writes a JUnit report' {
        Get-MigrationStatus | Export-MigrationReport -Format JUnit -Path out/status.xml | Should -Exist
        ([xml](Get-Content out/status.xml -Raw)).testsuites.testsuite.tests | Should -Be '3'
    }
}
