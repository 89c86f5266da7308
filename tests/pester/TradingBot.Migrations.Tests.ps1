#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Acceptance tests in real pwsh: Invoke-Pester ./tests/pester (after `dotnet build Migrations.sln`).
# Set TBM_TEST_POSTGRES (an Npgsql connection string or postgres:// URL) to run the PostgreSQL cases too.

BeforeAll {
    $repositoryRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repositoryRoot 'TradingBot.Migrations.psd1') -Force

    function New-TestProject {
        $root = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path (Join-Path $root 'migrations') | Out-Null
        Set-Content -Path (Join-Path $root 'migrations/1.0.1__create-trades.up.sql') -Value "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);"
        Set-Content -Path (Join-Path $root 'migrations/1.0.1__create-trades.down.sql') -Value 'DROP TABLE trades;'
        Set-Content -Path (Join-Path $root 'migrations/1.0.2__add-price.up.sql') -Value 'ALTER TABLE trades ADD COLUMN price REAL;'
        Set-Content -Path (Join-Path $root 'migrations/1.0.2__add-price.down.sql') -Value 'ALTER TABLE trades DROP COLUMN price;'
        Set-Content -Path (Join-Path $root 'migrations/1.0.10__create-orders.up.sql') -Value 'CREATE TABLE orders (id INTEGER PRIMARY KEY);'
        Set-Content -Path (Join-Path $root 'migrations/1.0.10__create-orders.down.sql') -Value 'DROP TABLE orders;'
        $root
    }
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
        { Test-ModuleManifest -Path (Join-Path $repositoryRoot 'TradingBot.Migrations.psd1') -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'The core loop on SQLite' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
    }

    AfterEach {
        Pop-Location
    }

    It 'applies pending migrations to ./dev.db and reports them applied' {
        $results = Invoke-Migration
        $results.Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.10')
        $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        'dev.db' | Should -Exist
        (Get-MigrationStatus | Where-Object State -eq Applied).Count | Should -Be 3
    }

    It 'compares versions part by part' {
        (Get-MigrationStatus | Where-Object Version -gt 1.0.2).Version.Text | Should -Be '1.0.10'
    }

    It 'changes nothing under -WhatIf' {
        Invoke-Migration -WhatIf
        'dev.db' | Should -Not -Exist
    }

    It 'rolls back newest first to a target version' {
        Invoke-Migration | Out-Null
        $undone = Undo-Migration -TargetVersion 1.0.1 -Confirm:$false
        $undone.Version.Text | Should -Be @('1.0.10', '1.0.2')
        (Get-MigrationStatus | Where-Object State -eq Pending).Count | Should -Be 2
    }

    It 'takes piped status objects' {
        Invoke-Migration | Out-Null
        $undone = Get-MigrationStatus | Where-Object Version -gt 1.0.1 | Undo-Migration -Force
        $undone.Count | Should -Be 2
    }

    It 'stops at a failing migration with an error naming the file and line' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value "SELECT 1;`nINSERT INTO nowhere VALUES (1);"
        { Invoke-Migration -ErrorAction Stop } | Should -Throw -ErrorId 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        (Get-MigrationStatus | Where-Object Version -eq 1.0.11).State | Should -Be 'Pending'
        try { Invoke-Migration -ErrorAction Stop } catch { $_.Exception.Message | Should -BeLike '*1.0.11__broken.up.sql at line 2*' }
    }

    It 'exits non-zero under pwsh -c when a run fails' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value 'INSERT INTO nowhere VALUES (1);'
        $manifest = Join-Path $repositoryRoot 'TradingBot.Migrations.psd1'
        pwsh -NoProfile -c "Import-Module '$manifest'; Invoke-Migration -ErrorAction Stop" 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'scaffolds the next version with New-Migration' {
        $files = New-Migration -Name add-fees
        $files.Name | Should -Be @('1.0.11__add-fees.up.sql', '1.0.11__add-fees.down.sql')
    }

    It 'refuses a name that would leave the folder' {
        { New-Migration -Name '../escape' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMigrationName,TradingBot.Migrations.Commands.NewMigrationCommand'
    }
}

Describe 'The core loop on PostgreSQL' -Skip:(-not $env:TBM_TEST_POSTGRES) {
    BeforeAll {
        $url = $env:TBM_TEST_POSTGRES
    }

    It 'applies and rolls back everything without showing the password' {
        $project = New-TestProject
        Push-Location $project
        try {
            $all = @(Invoke-Migration -Database $url -Verbose 4>&1) + @(Undo-Migration -All -Database $url -Force -Verbose 4>&1)
            ($all | Out-String) | Should -Not -Match ([regex]::Escape(([uri]$url).UserInfo.Split(':')[-1]))
        }
        finally {
            Pop-Location
        }
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
