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
