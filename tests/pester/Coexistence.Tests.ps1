#Requires -Version 7.4
# One pwsh session shared with another database module (dbatools, SimplySql and the like) that loads its own, older
# Npgsql and Microsoft.Data.Sqlite into the default load context: tests/pester/fixtures/OtherDriverModule, built by
# the solution into artifacts/other-driver-module. Each import order runs in a fresh pwsh process, as a user's session.

BeforeDiscovery {
    $Orders = @(
        @{ Order = 'ours first'; First = 'Ours'; Second = 'Theirs' }
        @{ Order = 'theirs first'; First = 'Theirs'; Second = 'Ours' }
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    $otherModuleProject = Join-Path $PSScriptRoot 'fixtures/OtherDriverModule/OtherDriverModule.csproj'
    $otherModuleManifest = Join-Path $RepositoryRoot 'artifacts/other-driver-module/OtherDriverModule.psd1'
    if (-not (Test-Path $otherModuleManifest)) {
        # `dotnet build Migrations.sln` builds it; this covers a run of this file alone after building only the module.
        $build = & dotnet build $otherModuleProject -c Release 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Building the other driver module failed:`n$($build -join "`n")" }
    }

    # The child session: imports the two modules in the given order, uses each right after its import, then both
    # again, and prints what it saw as one JSON line. Ours applies 1.0.1 and 1.0.2 on its first use and 1.0.10 on its
    # second, on SQLite and PostgreSQL; theirs adds a row to its own SQLite file and asks PostgreSQL on each use.
    $sharedSession = @'
$ErrorActionPreference = 'Stop'
$seen = [ordered]@{ Ours = @(); Theirs = @() }
function Use-Ours([string] $Target) {
    foreach ($database in $env:COEXIST_OUR_SQLITE, $env:COEXIST_OUR_POSTGRES) {
        $seen.Ours += @(Invoke-Migration -Database $database -TargetVersion $Target | ForEach-Object { "$($_.Version) $($_.Status)" })
    }
}
function Use-Theirs {
    $seen.Theirs += Invoke-OtherDriver -SqlitePath $env:COEXIST_THEIR_SQLITE -PostgresConnectionString $env:COEXIST_THEIR_POSTGRES
}
$import = @{ Ours = $env:COEXIST_OUR_MANIFEST; Theirs = $env:COEXIST_THEIR_MANIFEST }
$use = @{ Ours = { Use-Ours 1.0.2 }; Theirs = { Use-Theirs } }
foreach ($module in $env:COEXIST_ORDER -split ',') { Import-Module $import[$module]; & $use[$module] }
Use-Ours 1.0.10; Use-Theirs
$seen.Status = @(foreach ($database in $env:COEXIST_OUR_SQLITE, $env:COEXIST_OUR_POSTGRES) {
    (Get-MigrationStatus -Database $database | ForEach-Object { "$($_.Version) $($_.State)" }) -join ', '
})
$seen.Loaded = @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {
    $context = $_
    $context.Assemblies | Where-Object { $_.GetName().Name -in 'Npgsql', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core' } |
        ForEach-Object { "$($context.Name): $($_.GetName().Name) $($_.GetName().Version)" }
})
'COEXIST ' + ($seen | ConvertTo-Json -Depth 4 -Compress)
'@

    function Invoke-SharedSession([string] $First, [string] $Second, [string] $Project) {
        $postgres = New-TestDatabase -Dialect PostgreSql
        $run = Invoke-Pwsh -Command $sharedSession -WorkingDirectory $Project -Environment @{
            COEXIST_ORDER          = "$First,$Second"
            COEXIST_OUR_MANIFEST   = $ManifestPath
            COEXIST_THEIR_MANIFEST = $otherModuleManifest
            COEXIST_OUR_SQLITE     = New-TestDatabase -Dialect Sqlite
            COEXIST_OUR_POSTGRES   = $postgres
            COEXIST_THEIR_SQLITE   = Join-Path $Project 'theirs.db'
            COEXIST_THEIR_POSTGRES = $postgres
        }
        $line = $run.StdOut -split "`n" | Where-Object { $_ -like 'COEXIST *' } | Select-Object -Last 1
        [pscustomobject]@{
            Run  = $run
            Seen = if ($line) { $line.Substring('COEXIST '.Length) | ConvertFrom-Json } else { $null }
        }
    }
}

Describe 'A session shared with another module that loads its own Npgsql and Microsoft.Data.Sqlite, <Order>' -ForEach $Orders {
    BeforeAll {
        $session = Invoke-SharedSession -First $First -Second $Second -Project (New-TestProject)
        $seen = $session.Seen
    }

    It 'runs both modules without an error' {
        $session.Run.StdErr | Should -BeNullOrEmpty
        $session.Run.ExitCode | Should -Be 0
        $seen | Should -Not -BeNullOrEmpty
    }

    It 'applies our migrations on SQLite and PostgreSQL in the shared session' {
        $seen.Ours | Should -Be @(
            '1.0.1 Succeeded', '1.0.2 Succeeded'       # SQLite, first use
            '1.0.1 Succeeded', '1.0.2 Succeeded'       # PostgreSQL, first use
            '1.0.10 Succeeded', '1.0.10 Succeeded'     # both, second use
        )
        $seen.Status | Should -Be @('1.0.1 Applied, 1.0.2 Applied, 1.0.10 Applied', '1.0.1 Applied, 1.0.2 Applied, 1.0.10 Applied')
    }

    It 'lets the other module write and read its SQLite file and query PostgreSQL through its own drivers' {
        $seen.Theirs.SqliteRow | Should -Be @('1 from the other module', '2 from the other module')
        $seen.Theirs.PostgresAnswer | Should -Be @('postgres says hello', 'postgres says hello')
        $seen.Theirs.NpgsqlVersion | Sort-Object -Unique | Should -Be '8.0.5.0'
        $seen.Theirs.SqliteDriverVersion | Sort-Object -Unique | Should -Be '8.0.30.0'
    }

    It 'holds two different Npgsql and Microsoft.Data.Sqlite: the older in the default context, ours in the engine context' {
        $seen.Loaded | Should -Contain 'Default: Npgsql 8.0.5.0'
        $seen.Loaded | Should -Contain 'Default: Microsoft.Data.Sqlite 8.0.30.0'
        foreach ($driver in 'Npgsql', 'Microsoft.Data.Sqlite') {
            $shipped = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $RepositoryRoot "artifacts/module/deps/$driver.dll")).Version
            $shipped.Major | Should -BeGreaterThan 8
            $seen.Loaded | Should -Contain "TradingBot.Migrations.Engine: $driver $shipped"
        }
        # Each driver once per context: nothing of ours leaked into the default context, nor theirs into ours.
        ($seen.Loaded | Where-Object { $_ -like '*: Npgsql *' }).Count | Should -Be 2
        ($seen.Loaded | Where-Object { $_ -like '*: Microsoft.Data.Sqlite *' }).Count | Should -Be 2
        ($seen.Loaded | Where-Object { $_ -like '*: SQLitePCLRaw.core *' }).Count | Should -Be 2
    }
}
