#Requires -Version 7.4
# Tab completion as pwsh offers it (TabExpansion2), in a project whose migrations.psd1 moves the migrations to db/migrations.
# -TargetVersion, -Version and -RollbackTo complete from the files; Repair-Migration -Version reads the database's status.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }

    # New-TestProject's three migrations (1.0.1, 1.0.2, 1.0.10), moved to db/migrations, which migrations.psd1 names.
    function New-CompletionProject([string] $Configuration = "@{ MigrationsPath = 'db/migrations' }") {
        $root = New-TestProject
        New-Item -ItemType Directory -Path (Join-Path $root 'db') | Out-Null
        Move-Item (Join-Path $root 'migrations') (Join-Path $root 'db/migrations')
        Set-Content -Path (Join-Path $root 'migrations.psd1') -Value $Configuration
        $root
    }
}

Describe 'Version completion from the folder migrations.psd1 names' {
    BeforeAll {
        $project = New-CompletionProject
        New-Item -ItemType Directory -Path (Join-Path $project 'other') | Out-Null
        Set-Content -Path (Join-Path $project 'other/2.0.0__elsewhere.up.sql') -Value 'SELECT 1;'
        Push-Location $project
    }

    AfterAll { Pop-Location }

    It '<Line> offers the versions newest first' -ForEach @(
        @{ Line = 'Invoke-Migration -TargetVersion ' }
        @{ Line = 'Undo-Migration -TargetVersion ' }
        @{ Line = 'Undo-Migration -Version ' }
        @{ Line = 'Test-MigrationSafety -Version ' }
        @{ Line = 'Test-MigrationSafety -RollbackTo ' }
    ) {
        (Get-Completion $Line).CompletionText | Should -Be @('1.0.10', '1.0.2', '1.0.1')
    }

    It 'filters by what was typed' {
        (Get-Completion 'Invoke-Migration -TargetVersion 1.0.1').CompletionText | Should -Be @('1.0.10', '1.0.1')
    }

    It 'reads the folder -Path names instead' {
        (Get-Completion 'Invoke-Migration -Path ./other -TargetVersion ').CompletionText | Should -Be '2.0.0'
    }

    It 'reads the MigrationsPath of the file -ConfigurationPath names' {
        Set-Content -Path other.psd1 -Value "@{ MigrationsPath = 'other' }"
        (Get-Completion 'Undo-Migration -ConfigurationPath ./other.psd1 -TargetVersion ').CompletionText | Should -Be '2.0.0'
    }

    It 'offers nothing, and no file names, where the folder is missing' {
        Get-Completion 'Invoke-Migration -Path ./absent -TargetVersion ' | Should -BeNullOrEmpty
    }
}

Describe 'Repair-Migration -Version completion on <Dialect>' -ForEach $Dialects {
    BeforeAll {
        $project = New-CompletionProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database | Out-Null
        # 1.0.11 stops half-way outside a transaction (Failed); 1.0.2 is edited after it was applied (Modified).
        Set-Content -Path db/migrations/1.0.11__half-done.up.sql -Value "-- transaction: none`nCREATE TABLE half (id INTEGER);`nINSERT INTO nowhere VALUES (1);"
        try { Invoke-Migration -Database $database | Out-Null } catch { $_.FullyQualifiedErrorId | Should -BeLike 'MigrationFailed,*' }
        Add-Content -Path db/migrations/1.0.2__add-price.up.sql -Value '-- edited'
        $states = @{}
        Get-MigrationStatus -Database $database | ForEach-Object { $states[$_.Version.Text] = "$($_.State)" }
        $env:TBM_PESTER_COMPLETION_DB = $database
        Set-Content -Path migrations.psd1 -Value "@{ MigrationsPath = 'db/migrations'; Environments = @{ ci = @{ DatabaseUrlVariable = 'TBM_PESTER_COMPLETION_DB' } } }"
    }

    AfterAll {
        Remove-Item Env:TBM_PESTER_COMPLETION_DB -ErrorAction SilentlyContinue
        Pop-Location
    }

    It 'starts from a Failed and a Modified migration' {
        $states['1.0.11'] | Should -Be 'Failed'
        $states['1.0.2'] | Should -Be 'Modified'
    }

    It 'offers every version in the status, Failed and Modified first, never file names' {
        $offered = Get-Completion "Repair-Migration -Database '$database' -Version "
        $offered.CompletionText | Should -Be @('1.0.11', '1.0.2', '1.0.10', '1.0.1')
        $offered[0].ListItemText | Should -Be '1.0.11 (Failed)'
        $offered[1].ListItemText | Should -Be '1.0.2 (Modified)'
        if ($Dialect -eq 'PostgreSql') {
            ($offered | Format-List * | Out-String) | Should -Not -BeLike "*$(Get-TestPassword)*"
        }
    }

    It 'offers only what -Action <Action> applies to' -ForEach @(
        @{ Action = 'UpdateChecksum'; Expected = @('1.0.2') }
        @{ Action = 'MarkApplied'; Expected = @('1.0.11') }
        @{ Action = 'MarkRolledBack'; Expected = @('1.0.11', '1.0.2', '1.0.10', '1.0.1') }
    ) {
        (Get-Completion "Repair-Migration -Database '$database' -Action $Action -Version ").CompletionText | Should -Be $Expected
    }

    It 'reads the database an environment of migrations.psd1 names' {
        (Get-Completion 'Repair-Migration -Environment ci -Action UpdateChecksum -Version ').CompletionText | Should -Be '1.0.2'
    }

    It 'offers a version the action then accepts' {
        $version = (Get-Completion "Repair-Migration -Database '$database' -Action UpdateChecksum -Version ")[0].CompletionText
        $repaired = Repair-Migration -Database $database -Action UpdateChecksum -Version $version -Force
        $repaired.Version.Text | Should -Be '1.0.2'
        (Get-Completion "Repair-Migration -Database '$database' -Action UpdateChecksum -Version ") | Should -BeNullOrEmpty
    }

}

Describe 'Repair-Migration -Version completion without a database to read' {
    BeforeAll {
        $project = New-CompletionProject
        Push-Location $project
    }

    AfterAll { Pop-Location }

    It 'falls back to the versions of the files when the server <Case>' -ForEach @(
        @{ Case = 'refuses the connection'; Listen = $false }
        @{ Case = 'never answers'; Listen = $true }
    ) {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        if (-not $Listen) { $listener.Stop() }
        try {
            $elapsed = Measure-Command {
                $script:offered = Get-Completion "Repair-Migration -Database 'Host=127.0.0.1;Port=$port;Username=nobody;Password=x;Database=none' -Version "
            }
        }
        finally { $listener.Stop() }
        $script:offered.CompletionText | Should -Be @('1.0.10', '1.0.2', '1.0.1')
        $elapsed.TotalSeconds | Should -BeLessThan 5
    }
}

Describe 'Environment completion' {
    BeforeAll {
        $project = New-CompletionProject @'
@{
    MigrationsPath = 'db/migrations'
    Environments   = @{ dev = @{ Database = 'sqlite:./dev.db' }; qa = @{ DatabaseUrlVariable = 'QA_URL' }; prod = @{ DatabaseUrlVariable = 'PROD_URL' } }
}
'@
        Set-Content -Path (Join-Path $project 'other.psd1') -Value "@{ Environments = @{ staging = @{ Database = 'sqlite:./s.db' } } }"
        Push-Location $project
    }

    AfterAll { Pop-Location }

    It 'offers the names in migrations.psd1, sorted' {
        (Get-Completion 'Invoke-Migration -Environment ').CompletionText | Should -Be @('dev', 'prod', 'qa')
        (Get-Completion 'Repair-Migration -Environment q').CompletionText | Should -Be 'qa'
    }

    It 'offers the names in the file -ConfigurationPath names' {
        (Get-Completion 'Get-MigrationStatus -ConfigurationPath ./other.psd1 -Environment ').CompletionText | Should -Be 'staging'
    }
}

Describe '-Path completion' {
    BeforeAll {
        $project = New-CompletionProject
        New-Item -ItemType Directory -Path (Join-Path $project 'seed data') | Out-Null
        Push-Location $project
    }

    AfterAll { Pop-Location }

    It '<Line> offers folders only, the MigrationsPath folder first' -ForEach @(
        @{ Line = 'Invoke-Migration -Path ' }
        @{ Line = 'Get-MigrationStatus -Path ' }
        @{ Line = 'New-Migration -Name x -Path ' }
    ) {
        $offered = Get-Completion $Line
        $offered[0].CompletionText | Should -Be ('.' + [System.IO.Path]::DirectorySeparatorChar + 'db' + [System.IO.Path]::DirectorySeparatorChar + 'migrations')
        $offered.ResultType | Sort-Object -Unique | Should -Be 'ProviderContainer'
        $offered.CompletionText | Should -Not -Contain './migrations.psd1'
        $offered.ListItemText | Should -Contain 'db'
    }

    It 'completes inside a folder' {
        (Get-Completion 'Invoke-Migration -Path ./db/').CompletionText | Should -Be ('.' + [System.IO.Path]::DirectorySeparatorChar + 'db' + [System.IO.Path]::DirectorySeparatorChar + 'migrations')
    }

    It 'quotes a folder with a space' {
        (Get-Completion 'Invoke-Migration -Path ./seed').CompletionText | Should -Be ("'." + [System.IO.Path]::DirectorySeparatorChar + "seed data'")
    }
}
