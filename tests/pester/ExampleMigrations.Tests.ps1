#Requires -Version 7.4
# The example tests (xunit, ExampleMigrationsTests) hold whatever else a developer adds to migrations/: issue 14
# found that following the quick start inside the repository (New-Migration writes migrations/1.0.4__...) made the
# README's test command fail. This reproduces it on a copy of the repository's migrations/ and migrations.psd1 and
# runs those xunit tests on the copy (they read TBM_EXAMPLE_MIGRATIONS), on SQLite and PostgreSQL.

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # The xunit test project as the build left it (build.ps1 builds it before the Pester suite runs). Where it is
    # missing, it is built alone: its project references are for build order only, and rebuilding the module would
    # restage the dlls this process has loaded.
    function Invoke-ExampleMigrationsTests([string] $MigrationsFolder) {
        $project = Join-Path $RepositoryRoot 'tests/TradingBot.Migrations.Tests/TradingBot.Migrations.Tests.csproj'
        $built = @('Release', 'Debug') | Where-Object { Test-Path (Join-Path $RepositoryRoot "tests/TradingBot.Migrations.Tests/bin/$_/net10.0/TradingBot.Migrations.Tests.dll") } |
            Select-Object -First 1
        if (-not $built) {
            $built = 'Release'
            $build = & dotnet build $project -c $built --no-dependencies --nologo 2>&1
            if ($LASTEXITCODE -ne 0) { throw "Building the xunit tests failed:`n$($build -join "`n")" }
        }
        $arguments = @('test', $project, '-c', $built, '--no-build', '--nologo', '--filter', 'FullyQualifiedName~TradingBot.Migrations.Tests.ExampleMigrationsTests')
        $env:TBM_EXAMPLE_MIGRATIONS = $MigrationsFolder
        try {
            $output = & dotnet @arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output -join "`n" }
        }
        finally { Remove-Item Env:TBM_EXAMPLE_MIGRATIONS -ErrorAction SilentlyContinue }
    }
}

Describe 'The example migration tests, with a migration of the developer''s own in migrations/' {
    BeforeAll {
        $copy = Join-Path $TestDrive 'repository'
        New-Item -ItemType Directory -Path $copy | Out-Null
        Copy-Item -Recurse -Path (Join-Path $RepositoryRoot 'migrations') -Destination $copy
        Copy-Item -Path (Join-Path $RepositoryRoot 'migrations.psd1') -Destination $copy
        Push-Location $copy
        try {
            # As the quick start goes: New-Migration, then the SQL in both files.
            $created = New-Migration -Name create-trades
            Set-Content -Path $created[0].FullName -Value 'CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);'
            Set-Content -Path $created[1].FullName -Value 'DROP TABLE trades;'
            $status = Get-MigrationStatus -Database "sqlite:$copy/status.db"
        }
        finally { Pop-Location }
    }

    It 'has the new migration next to the examples in the copy' {
        $created.Name | Should -Be @('1.0.4__create-trades.up.sql', '1.0.4__create-trades.down.sql')
        $status.Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.3', '1.0.4')
    }

    It 'still pass on the examples alone, on SQLite and PostgreSQL' {
        $run = Invoke-ExampleMigrationsTests -MigrationsFolder (Join-Path $copy 'migrations')
        $run.Output | Should -Match 'Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+2,\s+Skipped:\s+0'
        $run.ExitCode | Should -Be 0
    }
}

Describe 'The README quick start' {
    BeforeAll {
        # Run where a developer runs it: a copy of the repository's migrations/ and migrations.psd1 (the build is done, so
        # its first line is left out, and the module is imported from this repository). ~ is a home folder in $TestDrive.
        $readme = Get-Content -Raw (Join-Path $RepositoryRoot 'README.md')
        $block = [regex]::Match($readme, '(?s)## Quick start in pwsh.*?```powershell\r?\n(.*?)```').Groups[1].Value
        $lines = ($block -split '\r?\n') -notmatch '^dotnet build ' -replace '\./TradingBot\.Migrations\.psd1', "'$ManifestPath'"
        $copy = Join-Path $TestDrive 'quick-start-repository'
        New-Item -ItemType Directory -Path $copy | Out-Null
        Copy-Item -Recurse -Path (Join-Path $RepositoryRoot 'migrations') -Destination $copy
        Copy-Item -Path (Join-Path $RepositoryRoot 'migrations.psd1') -Destination $copy
        $homeFolder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'home')
        # The one confirmation (Undo-Migration without -Force) answered yes, as a user at the console would.
        $script = "`$ErrorActionPreference = 'Stop'; `$PSDefaultParameterValues['Undo-Migration:Confirm'] = `$false`n" + ($lines -join "`n")
        $run = Invoke-Pwsh -Command $script -WorkingDirectory $copy -Environment @{ HOME = $homeFolder.FullName; USERPROFILE = $homeFolder.FullName }
        $project = Join-Path $homeFolder 'trading-db'
    }

    It 'runs as written' {
        $block | Should -Not -BeNullOrEmpty
        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
    }

    It 'leaves the example migrations/ as shipped' {
        (Get-ChildItem (Join-Path $copy 'migrations')).Name | Should -Be (Get-ChildItem (Join-Path $RepositoryRoot 'migrations')).Name
    }

    It 'writes, applies and rolls back the new project''s migrations in its own folder' {
        (Get-ChildItem (Join-Path $project 'migrations')).Name | Should -Be @(
            '1.0.0__create-trades.down.sql', '1.0.0__create-trades.up.sql', '1.0.1__add-price.down.sql', '1.0.1__add-price.up.sql')
        $status = Get-MigrationStatus -Database "sqlite:$project/dev.db" -Path (Join-Path $project 'migrations')
        $status.Version.Text | Should -Be @('1.0.0', '1.0.1')
        $status.State | Should -Be @('Pending', 'Pending')
        $plain = $run.StdOut -replace '\e\[[0-9;]*m', ''
        $plain | Should -Match '1\.0\.1\s+add-price\s+Up\s+Succeeded'
        $plain | Should -Match '1\.0\.0\s+create-trades\s+Down\s+Succeeded'
    }
}
