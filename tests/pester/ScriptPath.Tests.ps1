#Requires -Version 7.4
# The preview is the run: what -ScriptPath writes, run by the database's own client (psql, sqlite3) on a fresh database,
# leaves the same schema and history rows as Invoke-Migration does on another fresh database.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    function Find-Sqlite3 {
        $command = Get-Command sqlite3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $command) { throw 'sqlite3 is needed to run a -ScriptPath plan (Debian: apt-get install sqlite3).' }
        $command.Source
    }

    # Runs a SQL file with the database's own client, stopping at the first error.
    function Invoke-SqlFile([string] $Dialect, [string] $Database, [string] $Path) {
        if ($Dialect -eq 'Sqlite') {
            $output = Get-Content -Raw $Path | & (Find-Sqlite3) -bail ($Database -replace '^sqlite:', '') 2>&1
            if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $output" }
            return
        }
        $name = ($Database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
        Invoke-TestPsql -File $Path -Database $name | Out-Null
    }

    # The schema and the history rows (without times), as text lines to compare.
    function Get-DatabaseFacts([string] $Dialect, [string] $Database) {
        if ($Dialect -eq 'Sqlite') {
            $file = $Database -replace '^sqlite:', ''
            $schema = & (Find-Sqlite3) $file "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
            $history = & (Find-Sqlite3) $file "SELECT version || '|' || name || '|' || checksum || '|' || applied_by || '|' || state || '|' || coalesce(failed_statement, '') FROM schema_migrations ORDER BY version"
            return @($schema) + '--' + @($history)
        }
        $name = ($Database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
        $schema = Invoke-TestPsql "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position" -Database $name
        $indexes = Invoke-TestPsql "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname" -Database $name
        $history = Invoke-TestPsql "SELECT version || '|' || name || '|' || checksum || '|' || applied_by || '|' || state || '|' || coalesce(failed_statement, '') FROM schema_migrations ORDER BY version" -Database $name
        @($schema) + '--' + @($indexes) + '--' + @($history)
    }
}

Describe 'Invoke-Migration -ScriptPath on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $concurrently = if ($Dialect -eq 'PostgreSql') { ' CONCURRENTLY' } else { '' }
        Set-Content -Path ./migrations/1.0.11__index-symbol.up.sql -Value "-- transaction: none`nCREATE INDEX$concurrently trades_symbol ON trades (symbol);"
        Set-Content -Path ./migrations/1.0.11__index-symbol.down.sql -Value "-- transaction: none`nDROP INDEX$concurrently trades_symbol;"
        Set-Content -Path ./migrations/1.0.12__seed.up.sql -Value "INSERT INTO trades (id, symbol) VALUES (1, 'it''s; a -- test');`nINSERT INTO orders (id) VALUES (7);"
        Set-Content -Path ./migrations/1.0.12__seed.down.sql -Value 'DELETE FROM orders; DELETE FROM trades;'
    }

    AfterEach {
        Pop-Location
    }

    It 'applies as the run does: the same schema and history rows' {
        $ran = New-TestDatabase -Dialect $Dialect
        $planned = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $ran | Out-Null
        Invoke-Migration -Database $planned -ScriptPath ./plan.sql | Should -Exist
        Invoke-SqlFile $Dialect $planned ./plan.sql

        $expected = Get-DatabaseFacts $Dialect $ran
        $expected | Should -Contain '--'
        ($expected | Where-Object { $_ -like '1.0.12|seed|*|Applied|' }) | Should -Not -BeNullOrEmpty
        Get-DatabaseFacts $Dialect $planned | Should -Be $expected
        (Get-MigrationStatus -Database $planned | Where-Object State -ne Applied) | Should -BeNullOrEmpty
    }

    It 'rolls back as the run does' {
        $ran = New-TestDatabase -Dialect $Dialect
        $planned = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $ran | Out-Null
        Invoke-Migration -Database $planned | Out-Null
        Undo-Migration -Database $ran -TargetVersion 1.0.2 -Force | Out-Null
        Undo-Migration -Database $planned -TargetVersion 1.0.2 -ScriptPath ./undo.sql | Should -Exist
        Invoke-SqlFile $Dialect $planned ./undo.sql

        Get-DatabaseFacts $Dialect $planned | Should -Be (Get-DatabaseFacts $Dialect $ran)
        (Get-MigrationStatus -Database $planned | Where-Object State -eq Pending).Version.Text | Should -Be @('1.0.10', '1.0.11', '1.0.12')
    }
}

# PostgreSQL keeps the index a failed CREATE INDEX CONCURRENTLY leaves, INVALID; the run refuses to build it again until it
# is dropped. A preview says the same before anything runs.
Describe 'Previewing a re-run after a failed CREATE INDEX CONCURRENTLY on PostgreSql' {
    BeforeEach {
        $project = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory (Join-Path $project migrations) | Out-Null
        Push-Location $project
        Set-Content ./migrations/1.0.1__t.up.sql "CREATE TABLE t (id integer, x integer);`nINSERT INTO t SELECT g, g % 10 FROM generate_series(1, 100) g;"
        Set-Content ./migrations/1.0.2__t-x.up.sql "-- transaction: none`nCREATE UNIQUE INDEX CONCURRENTLY t_x ON t (x);"
        $database = New-TestDatabase -Dialect PostgreSql
        $name = ($database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
        # Duplicates in x: the build fails and leaves t_x behind, INVALID. The user fixes the data and marks the failed
        # migration rolled back, as its error tells them.
        { Invoke-Migration -Database $database } | Should -Throw -ErrorId 'MigrationFailed*'
        Invoke-TestPsql 'UPDATE t SET x = id' -Database $name | Out-Null
        Repair-Migration -Database $database -Version 1.0.2 -Action MarkRolledBack -Force | Out-Null
    }

    AfterEach {
        Pop-Location
    }

    It 'says the run would be blocked, naming the index, and writes no script' {
        { Invoke-Migration -Database $database -WhatIf } | Should -Throw -ErrorId 'InvalidIndexBlocksMigration*' -ExpectedMessage '*public.t_x*INVALID*'
        { Invoke-Migration -Database $database -ScriptPath ./plan.sql } | Should -Throw -ErrorId 'InvalidIndexBlocksMigration*'

        Test-Path ./plan.sql | Should -BeFalse
    }

    It 'shows the drop -DropInvalidIndexes would make, and its script drops the index before building it again' {
        $run = Invoke-Pwsh "$(Get-ImportLine); Invoke-Migration -Database '$database' -DropInvalidIndexes -WhatIf"
        Invoke-Migration -Database $database -DropInvalidIndexes -ScriptPath ./plan.sql | Should -Exist

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -BeLike '*What if: *Drop the invalid index public.t_x*DROP INDEX CONCURRENTLY*migration 1.0.2 t-x builds it again*'
        $run.Output | Should -BeLike '*What if: *Apply migration 1.0.2 t-x*'
        $script = Get-Content -Raw ./plan.sql
        $script | Should -BeLike '*DROP INDEX CONCURRENTLY IF EXISTS public.t_x;*CREATE UNIQUE INDEX CONCURRENTLY t_x ON t (x);*'
        # Nothing was dropped by the preview; the script, run by psql, drops it and builds it again, valid.
        Invoke-TestPsql "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass" -Database $name | Should -Be 'f'
        Invoke-SqlFile PostgreSql $database ./plan.sql
        Invoke-TestPsql "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x'::regclass" -Database $name | Should -Be 't'
        (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Applied')
    }
}
