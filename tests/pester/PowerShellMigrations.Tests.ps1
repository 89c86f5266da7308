#Requires -Version 7.4
# A PowerShell migration (.ps1) that uses pwsh's own cmdlets: it seeds a table from a CSV file shipped beside it in
# the migrations folder (Import-Csv), and its Down removes those rows again. On both databases.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # A project whose 1.0.2 seeds instruments from 1.0.2__seed-instruments.csv, found through $PSScriptRoot: the
    # tests run from the project folder, not from migrations/, so a bare relative path would not find it.
    function New-SeedProject {
        $root = Join-Path $TestDrive ([guid]::NewGuid())
        $migrations = New-Item -ItemType Directory -Path (Join-Path $root 'migrations')
        Set-Content -Path "$migrations/1.0.1__create-instruments.up.sql" -Value 'CREATE TABLE instruments (symbol VARCHAR(16) PRIMARY KEY, name VARCHAR(100) NOT NULL, tick_size NUMERIC(12, 6) NOT NULL);'
        Set-Content -Path "$migrations/1.0.1__create-instruments.down.sql" -Value 'DROP TABLE instruments;'
        @(
            [pscustomobject]@{ Symbol = 'BTCUSD'; Name = 'Bitcoin / US dollar'; TickSize = '0.5' }
            [pscustomobject]@{ Symbol = 'ETHUSD'; Name = 'Ether / US dollar'; TickSize = '0.05' }
            [pscustomobject]@{ Symbol = 'EURUSD'; Name = 'Euro / US dollar'; TickSize = '0.00001' }
        ) | Export-Csv -Path "$migrations/1.0.2__seed-instruments.csv" -UseQuotes AsNeeded
        Set-Content -Path "$migrations/1.0.2__seed-instruments.ps1" -Value @'
# 1.0.2 seed-instruments: the instruments in the CSV file beside this one.
@{
    Up = {
        param($Migration)
        Import-Csv -Path (Join-Path $PSScriptRoot '1.0.2__seed-instruments.csv') | ForEach-Object {
            $Migration.Execute('INSERT INTO instruments (symbol, name, tick_size) VALUES (@symbol, @name, @tick)',
                @{ symbol = $_.Symbol; name = $_.Name; tick = [decimal]$_.TickSize }) | Out-Null
        }
    }
    Down = {
        param($Migration)
        $symbols = (Import-Csv -Path (Join-Path $PSScriptRoot '1.0.2__seed-instruments.csv')).Symbol
        foreach ($symbol in $symbols) {
            $Migration.Execute('DELETE FROM instruments WHERE symbol = @symbol', @{ symbol = $symbol }) | Out-Null
        }
    }
}
'@
        $root
    }

    # The rows of a query as 'a|b|c' lines, like psql -At. SQLite is read through the module's own driver, which the
    # engine's load context has loaded by then (no sqlite3 on CI machines, and no second driver in this process).
    function Get-TestRows([string] $Database, [string] $Sql) {
        if ($Database -notlike 'sqlite:*') {
            return Invoke-TestPsql $Sql -Database ($Database -replace '^.*Database=([^;]+).*$', '$1')
        }
        $driver = [System.Runtime.Loader.AssemblyLoadContext]::All.Assemblies |
            Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
        $connection = [Activator]::CreateInstance($driver.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$($Database.Substring(7));Pooling=False"))
        try {
            $connection.Open()
            $command = $connection.CreateCommand()
            $command.CommandText = $Sql
            $reader = $command.ExecuteReader()
            while ($reader.Read()) { (0..($reader.FieldCount - 1) | ForEach-Object { $reader.GetValue($_) }) -join '|' }
            $reader.Dispose()
        }
        finally { $connection.Dispose() }
    }
}

Describe 'A PowerShell migration that seeds from a CSV file beside it, on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-SeedProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        $instruments = 'SELECT symbol, name, CAST(tick_size * 100000 AS INTEGER) FROM instruments ORDER BY symbol'
    }

    AfterEach {
        Pop-Location
    }

    It 'applies it and seeds the rows with Import-Csv' {
        $results = Invoke-Migration -Database $database
        $results.Version.Text | Should -Be @('1.0.1', '1.0.2')
        $results.Status | Should -Be @('Succeeded', 'Succeeded')
        Get-TestRows $database $instruments | Should -Be @(
            'BTCUSD|Bitcoin / US dollar|50000'
            'ETHUSD|Ether / US dollar|5000'
            'EURUSD|Euro / US dollar|1'
        )
    }

    It 'rolls the seed back with its Down and applies it again' {
        Invoke-Migration -Database $database | Out-Null
        $undone = Undo-Migration -Database $database -TargetVersion 1.0.1 -Force
        $undone.Version.Text | Should -Be '1.0.2'
        Get-TestRows $database 'SELECT count(*) FROM instruments' | Should -Be '0'
        (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Pending')

        Invoke-Migration -Database $database | Out-Null
        Get-TestRows $database 'SELECT count(*) FROM instruments' | Should -Be '3'
    }

    It 'does not take the seed file for a migration' {
        $status = Get-MigrationStatus -Database $database
        $status.Version.Text | Should -Be @('1.0.1', '1.0.2')
        $status.Name | Should -Be @('create-instruments', 'seed-instruments')
        (New-Migration -Name add-venues).Name | Should -Be @('1.0.3__add-venues.up.sql', '1.0.3__add-venues.down.sql')
    }
}
