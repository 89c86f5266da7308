#Requires -Version 7.4
# Import-MigrationHistory in real pwsh, on both databases: real dbmate (the binary npm's @dbmate/linux-x64 ships, installed by
# .ci/run into tests/tools/dbmate) migrates a database from a folder of its own format, then this module takes over.
# golang-migrate, goose and Flyway are not installable here: fixtures/<tool>/history.*.sql create their history tables
# exactly as their source does (each file names the source file it follows; fixtures/LICENSES.md), with the awkward rows.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    $script:Dbmate = if ($env:TBM_DBMATE) { $env:TBM_DBMATE } else { Join-Path $RepositoryRoot 'tests/tools/dbmate/node_modules/@dbmate/linux-x64/bin/dbmate' }
    if (-not (Test-Path $script:Dbmate)) {
        throw "dbmate is not installed at $script:Dbmate: run 'npm ci' in tests/tools/dbmate (.ci/run does), or set TBM_DBMATE."
    }

    # Runs dbmate on the database; its URL is the module's own for SQLite, and the postgres:// URL with sslmode=disable.
    function Invoke-Dbmate([string] $Url, [string] $Folder, [string[]] $Arguments) {
        $output = & $script:Dbmate --no-dump-schema --url $Url --migrations-dir $Folder @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "dbmate $Arguments failed: $output" }
        $output
    }

    # A database of the dialect: the value -Database takes, and the URL dbmate takes.
    function New-DbmateDatabase([string] $Dialect) {
        if ($Dialect -eq 'Sqlite') {
            $database = New-TestDatabase -Dialect Sqlite
            return [pscustomobject]@{ Database = $database; Url = $database }
        }
        $url = New-TestDatabase -Dialect PostgreSql -AsUrl
        [pscustomobject]@{ Database = $url; Url = "${url}?sslmode=disable" }
    }

    # A database in the state fixtures/<tool>/history.<dialect>.sql describes. PostgreSQL's runs in psql, in a database whose
    # timezone is Europe/Paris (so local timestamps must be converted to be right); SQLite's runs as a migration of this
    # module recorded in a table of its own (no sqlite3 client needed).
    function New-FixtureDatabase([string] $Dialect, [string] $Tool, [string] $History = 'history') {
        $database = New-TestDatabase -Dialect $Dialect
        if ($Dialect -eq 'PostgreSql') {
            $name = ($database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
            Invoke-TestPsql "ALTER DATABASE $name SET timezone TO 'Europe/Paris'" | Out-Null
            Invoke-TestPsql -Database $name -File (Join-Path $PSScriptRoot "fixtures/$Tool/$History.postgres.sql") | Out-Null
            return $database
        }
        $setup = Join-Path $TestDrive ('setup-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $setup | Out-Null
        Copy-Item (Join-Path $PSScriptRoot "fixtures/$Tool/$History.sqlite.sql") (Join-Path $setup '1__fixture.up.sql')
        Invoke-Migration -Path $setup -Database $database -HistoryTable tbm_fixture_setup | Out-Null
        $database
    }
}

Describe 'Import-MigrationHistory -From Dbmate on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $source = Join-Path $TestDrive ('dbmate-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item -Recurse (Join-Path $PSScriptRoot 'fixtures/dbmate') $source
        $folder = Join-Path $TestDrive ('migrations-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $db = New-DbmateDatabase $Dialect
        Invoke-Dbmate $db.Url $source 'migrate' | Out-Null
    }

    It 'takes over what dbmate applied: converted files, all Applied, a new migration on top, an imported one undone with its down' {
        $results = Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -WarningVariable warnings -WarningAction SilentlyContinue

        $results.Version.Text | Should -Be @('20240101120000', '20240102120000', '20240103120000')
        $results.State | Should -Be @('Applied', 'Applied', 'Applied')
        $results.History | Should -Be @('Record', 'Record', 'Record')
        $results[0].SourceTable | Should -Be 'dbmate_schema_migrations'
        "$warnings" | Should -BeLike "*dbmate's history table schema_migrations was moved aside to dbmate_schema_migrations*"

        # The files, in this module's layout; dbmate's transaction:false became this module's directive, up and down.
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @(
            '20240101120000__create_trades.down.sql', '20240101120000__create_trades.up.sql',
            '20240102120000__index_trades_symbol.down.sql', '20240102120000__index_trades_symbol.up.sql',
            '20240103120000__create_orders.down.sql', '20240103120000__create_orders.up.sql')
        (Get-Content (Join-Path $folder '20240102120000__index_trades_symbol.up.sql'))[0] | Should -Be '-- transaction: none'
        (Get-Content (Join-Path $folder '20240102120000__index_trades_symbol.down.sql'))[0] | Should -Be '-- transaction: none'
        Get-Content -Raw (Join-Path $folder '20240103120000__create_orders.up.sql') | Should -BeLike "*'-- migrate:down is only text here'*);*"

        $status = Get-MigrationStatus -Path $folder -Database $db.Database
        $status.State | Should -Be @('Applied', 'Applied', 'Applied')
        $status.Checksum | Should -Be $results.Checksum
        $status[0].AppliedBy | Should -BeLike 'dbmate (imported by *)'

        # dbmate's table is kept, rows and all: dbmate itself still reads it under its new name.
        Invoke-Dbmate $db.Url $source @('--migrations-table', 'dbmate_schema_migrations', 'status') | Should -Contain 'Applied: 3'

        Set-Content (Join-Path $folder '20240104120000__add-price.up.sql') 'ALTER TABLE trades ADD COLUMN price NUMERIC;'
        Set-Content (Join-Path $folder '20240104120000__add-price.down.sql') 'ALTER TABLE trades DROP COLUMN price;'
        (Invoke-Migration -Path $folder -Database $db.Database).Version.Text | Should -Be '20240104120000'

        # Rolling back the imported 20240103120000 runs its converted down (DROP TABLE orders): applying it again succeeds.
        (Undo-Migration -Path $folder -Database $db.Database -Count 2 -Force).Version.Text | Should -Be @('20240104120000', '20240103120000')
        (Get-MigrationStatus -Path $folder -Database $db.Database -State Pending).Version.Text | Should -Be @('20240103120000', '20240104120000')
        (Invoke-Migration -Path $folder -Database $db.Database).Status | Should -Be @('Succeeded', 'Succeeded')
    }

    It 'changes nothing when run again' {
        Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -WarningAction SilentlyContinue | Out-Null
        $before = Get-ChildItem $folder | ForEach-Object { $_.Name + ' ' + $_.LastWriteTimeUtc.Ticks }

        $again = Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -WarningVariable warnings -WarningAction SilentlyContinue

        $again.History | Should -Be @('AlreadyRecorded', 'AlreadyRecorded', 'AlreadyRecorded')
        $again.FileAction | Should -Be @('Unchanged', 'Unchanged', 'Unchanged')
        $again[0].SourceTable | Should -Be 'dbmate_schema_migrations'
        $warnings | Should -BeNullOrEmpty
        Get-ChildItem $folder | ForEach-Object { $_.Name + ' ' + $_.LastWriteTimeUtc.Ticks } | Should -Be $before
        (Get-MigrationStatus -Path $folder -Database $db.Database).State | Should -Be @('Applied', 'Applied', 'Applied')
    }

    It 'records a migration dbmate has not applied as Pending, and applies it' {
        Invoke-Dbmate $db.Url $source 'rollback' | Out-Null

        $results = Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -WarningAction SilentlyContinue

        $results.History | Should -Be @('Record', 'Record', 'NotApplied')
        (Invoke-Migration -Path $folder -Database $db.Database).Version.Text | Should -Be '20240103120000'
    }

    It 'leaves dbmate''s table where it is when -HistoryTable names another table' {
        $results = Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -HistoryTable tbm_history -WarningVariable warnings

        $warnings | Should -BeNullOrEmpty
        $results[0].SourceTable | Should -Be 'schema_migrations'
        Invoke-Dbmate $db.Url $source 'status' | Should -Contain 'Applied: 3'
        (Get-MigrationStatus -Path $folder -Database $db.Database -HistoryTable tbm_history).State | Should -Be @('Applied', 'Applied', 'Applied')
    }

    It 'shows the whole import under -WhatIf and changes nothing' {
        $command = "$(Get-ImportLine); Import-MigrationHistory -From Dbmate -SourcePath '$source' -Path '$folder' -Database '$($db.Database)' -WhatIf | Out-Null"
        $run = Invoke-Pwsh $command

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -BeLike "*Write $folder*20240101120000__create_trades.up.sql, converted from*"
        $run.Output | Should -BeLike "*Move dbmate's history table schema_migrations aside to dbmate_schema_migrations (kept with its rows, not dropped)*"
        $run.Output | Should -BeLike '*Record migration 20240103120000 (create_orders)*as Applied*no script is run*'
        Test-Path $folder | Should -BeFalse
        Invoke-Dbmate $db.Url $source 'status' | Should -Contain 'Applied: 3'

        # The objects say what would happen, not that it did.
        $preview = Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database -WhatIf -WarningAction SilentlyContinue 6>$null
        $preview.FileAction | Should -Be @('WouldWrite', 'WouldWrite', 'WouldWrite')
        $preview.State | Should -Be @('WouldBeApplied', 'WouldBeApplied', 'WouldBeApplied')
        Test-Path $folder | Should -BeFalse
    }

    It 'refuses a version dbmate applied whose file is gone, and a converted file that would replace another' {
        Remove-Item (Join-Path $source '20240103120000_create_orders.sql')
        { Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database } |
            Should -Throw -ErrorId 'SourceVersionWithoutFile*' -ExpectedMessage '*records version 20240103120000*has no migration of that version*'
        Test-Path $folder | Should -BeFalse

        Copy-Item (Join-Path $PSScriptRoot 'fixtures/dbmate/20240103120000_create_orders.sql') $source
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content (Join-Path $folder '20240101120000__create_trades.up.sql') 'CREATE TABLE something_else (id INTEGER);'
        { Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database } |
            Should -Throw -ErrorId 'ImportFileConflict*' -ExpectedMessage '*20240101120000__create_trades.up.sql exists with other text*'
        (Get-ChildItem $folder).Name | Should -Be '20240101120000__create_trades.up.sql'
        Invoke-Dbmate $db.Url $source 'status' | Should -Contain 'Applied: 3'
    }

    It 'refuses a file it cannot convert faithfully, with its file and line, and changes nothing' {
        Set-Content (Join-Path $source '20240109120000_bad.sql') "-- migrate:up`nSELECT 1;`n-- migrate:down`nSELECT 1;`n-- migrate:up`nSELECT 2;`n-- migrate:down`nSELECT 2;"

        { Import-MigrationHistory -From Dbmate -SourcePath $source -Path $folder -Database $db.Database } |
            Should -Throw -ErrorId 'UnconvertibleMigration,TradingBot.Migrations.Commands.ImportMigrationHistoryCommand' -ExpectedMessage '*20240109120000_bad.sql:5: *second*migrate:up*'
        Test-Path $folder | Should -BeFalse
        Invoke-Dbmate $db.Url $source 'status' | Should -Contain 'Applied: 3'
    }
}

Describe 'Import-MigrationHistory from golang-migrate, goose and Flyway on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $folder = Join-Path $TestDrive ('migrations-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    It 'imports golang-migrate''s current version as applied with everything below it, and a dirty one as Failed' {
        $database = New-FixtureDatabase $Dialect golang-migrate
        $source = Join-Path $PSScriptRoot 'fixtures/golang-migrate/migrations'

        $results = Import-MigrationHistory -From GolangMigrate -SourcePath $source -Path $folder -Database $database -WarningVariable warnings -WarningAction SilentlyContinue

        $results.Version.Text | Should -Be @('000001', '000002', '000003')
        $results.State | Should -Be @('Applied', 'Applied', 'Failed')
        $results[0].SourceTable | Should -Be 'golang_migrate_schema_migrations'
        "$warnings" | Should -BeLike "*golang-migrate's history table schema_migrations was moved aside to golang_migrate_schema_migrations*"
        (Get-MigrationStatus -Path $folder -Database $database).State | Should -Be @('Applied', 'Applied', 'Failed')
        { Invoke-Migration -Path $folder -Database $database } | Should -Throw -ErrorId 'FailedMigrationBlocks*'

        # The dirty version's changes are undone by hand (here: it made none), then it runs again from its converted file.
        Repair-Migration -Path $folder -Database $database -Version 000003 -Action MarkRolledBack -Force | Out-Null
        (Invoke-Migration -Path $folder -Database $database).Version.Text | Should -Be '000003'
        (Import-MigrationHistory -From GolangMigrate -SourcePath $source -Path $folder -Database $database).History |
            Should -Be @('AlreadyRecorded', 'AlreadyRecorded', 'AlreadyRecorded')
    }

    It 'imports goose''s newest row of each version with its time, leaving a rolled-back one (is_applied = false) Pending' {
        $database = New-FixtureDatabase $Dialect goose
        $source = Join-Path $PSScriptRoot 'fixtures/goose/migrations'

        $results = Import-MigrationHistory -From Goose -SourcePath $source -Path $folder -Database $database -WarningVariable warnings

        $results.Version.Text | Should -Be @('00001', '00002', '00003', '00004')
        $results.State | Should -Be @('Applied', 'Applied', 'Applied', 'Pending')
        $results[0].AppliedAt | Should -Be '2024-01-02T12:00:00.000Z'
        $results[0].SourceTable | Should -Be 'goose_db_version'
        $warnings | Should -BeNullOrEmpty
        (Get-MigrationStatus -Path $folder -Database $database)[0].AppliedAt.ToString() | Should -Be '2024-01-02T12:00:00.0000000Z'
        (Get-Content (Join-Path $folder '00003__index_trades_symbol.up.sql'))[0] | Should -Be '-- transaction: none'

        (Invoke-Migration -Path $folder -Database $database).Version.Text | Should -Be '00004'
        (Undo-Migration -Path $folder -Database $database -Count 2 -Force).Version.Text | Should -Be @('00004', '00003')
        (Invoke-Migration -Path $folder -Database $database).Status | Should -Be @('Succeeded', 'Succeeded')
    }

    It 'imports Flyway''s history with its times, a failed row (success = false) as Failed, and U files as downs' {
        $database = New-FixtureDatabase $Dialect flyway
        $source = Join-Path $PSScriptRoot 'fixtures/flyway/migrations'

        $results = Import-MigrationHistory -From Flyway -SourcePath $source -Path $folder -Database $database

        $results.Version.Text | Should -Be @('1', '1.1', '2')
        $results.Name | Should -Be @('Create_trades', 'Create_orders', 'Create_fills')
        $results.State | Should -Be @('Applied', 'Applied', 'Failed')
        $results[1].AppliedAt | Should -Be '2024-01-02T12:00:01.000Z'
        $results[0].Files | Split-Path -Leaf | Should -Be @('1__Create_trades.up.sql', '1__Create_trades.down.sql')
        (Get-MigrationStatus -Path $folder -Database $database).State | Should -Be @('Applied', 'Applied', 'Failed')
    }

    It 'imports a Flyway BASELINE row: the versions up to it Applied at its time (Flyway never ran them), the versions after it at theirs' {
        $database = New-FixtureDatabase $Dialect flyway history-baseline
        $source = Join-Path $PSScriptRoot 'fixtures/flyway/migrations'

        $results = Import-MigrationHistory -From Flyway -SourcePath $source -Path $folder -Database $database

        $results.Version.Text | Should -Be @('1', '1.1', '2')
        $results.State | Should -Be @('Applied', 'Applied', 'Applied')
        $results.History | Should -Be @('Record', 'Record', 'Record')
        $results.AppliedAt | Should -Be @('2024-03-01T12:00:00.000Z', '2024-03-01T12:00:00.000Z', '2024-03-02T12:00:00.000Z')
        $status = Get-MigrationStatus -Path $folder -Database $database
        $status.State | Should -Be @('Applied', 'Applied', 'Applied')
        $status.AppliedAt | ForEach-Object ToString | Should -Be @('2024-03-01T12:00:00.0000000Z', '2024-03-01T12:00:00.0000000Z', '2024-03-02T12:00:00.0000000Z')
        $status.Checksum | Should -Be $results.Checksum
        # Nothing is left to run (the tables are there, so running a baselined version would fail), and a new migration applies on top.
        Invoke-Migration -Path $folder -Database $database | Should -BeNullOrEmpty
        Set-Content (Join-Path $folder '3__Add_price.up.sql') 'ALTER TABLE trades ADD COLUMN price NUMERIC;'
        (Invoke-Migration -Path $folder -Database $database).Version.Text | Should -Be '3'
        (Import-MigrationHistory -From Flyway -SourcePath $source -Path $folder -Database $database).History | Should -Be @('AlreadyRecorded', 'AlreadyRecorded', 'AlreadyRecorded')
    }

    It 'refuses Flyway''s repeatable migrations, naming the file' {
        $database = New-FixtureDatabase $Dialect flyway
        $source = Join-Path $TestDrive ('flyway-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        Copy-Item -Recurse (Join-Path $PSScriptRoot 'fixtures/flyway/migrations') $source
        Set-Content (Join-Path $source 'R__Trade_view.sql') 'CREATE OR REPLACE VIEW trade_view AS SELECT id FROM trades;'

        { Import-MigrationHistory -From Flyway -SourcePath $source -Path $folder -Database $database } |
            Should -Throw -ErrorId 'UnconvertibleMigration*' -ExpectedMessage '*R__Trade_view.sql: cannot be converted faithfully: it is a repeatable migration*'
        Test-Path $folder | Should -BeFalse
    }
}
