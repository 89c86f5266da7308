#Requires -Version 7.4
# Set-MigrationBaseline in real pwsh, on both databases: a database made without this module's history (its schema built by
# an earlier tool, whose own bookkeeping table legacy_history stays behind) is labelled file by file from the live schema, then
# baselined.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # The project: three migrations the database has, and one above the baseline.
    function New-BaselineProject {
        $project = Join-Path $TestDrive ('project-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $project | Out-Null
        Set-Content (Join-Path $project '1.0.1__create-trades.up.sql') 'CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);'
        Set-Content (Join-Path $project '1.0.1__create-trades.down.sql') 'DROP TABLE trades;'
        Set-Content (Join-Path $project '1.0.2__add-price.up.sql') "ALTER TABLE trades ADD COLUMN price NUMERIC;`nCREATE INDEX trades_symbol_idx ON trades (symbol);"
        Set-Content (Join-Path $project '1.0.2__add-price.down.sql') "DROP INDEX trades_symbol_idx;`nALTER TABLE trades DROP COLUMN price;"
        Set-Content (Join-Path $project '1.0.3__create-orders.up.sql') 'CREATE TABLE orders (id INTEGER PRIMARY KEY, trade_id INTEGER NOT NULL);'
        Set-Content (Join-Path $project '1.0.3__create-orders.down.sql') 'DROP TABLE orders;'
        Set-Content (Join-Path $project '1.0.4__create-fills.up.sql') 'CREATE TABLE fills (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL);'
        Set-Content (Join-Path $project '1.0.4__create-fills.down.sql') 'DROP TABLE fills;'
        $project
    }

    # A database whose schema was built before this module: the project's migrations up to $Through (and $Extra SQL), run by
    # an earlier tool that kept its own history in legacy_history.
    # $Override: version -> the up script the earlier tool ran instead of the project's.
    function New-LegacyDatabase([string] $Dialect, [string] $Project, [string] $Through, [string[]] $Skip = @(), [string] $Extra, [hashtable] $Override = @{}) {
        $database = New-TestDatabase -Dialect $Dialect
        $legacy = Join-Path $TestDrive ('legacy-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $legacy | Out-Null
        Get-ChildItem $Project -Filter '*.up.sql' | Where-Object { [version]($_.Name -split '__')[0] -le [version]$Through -and ($_.Name -split '__')[0] -notin $Skip } |
            Copy-Item -Destination $legacy
        foreach ($version in $Override.Keys) { Get-ChildItem $legacy -Filter "${version}__*.up.sql" | Set-Content -Value $Override[$version] }
        if ($Extra) { Set-Content (Join-Path $legacy '9.0.0__extra.up.sql') $Extra }
        Invoke-Migration -Path $legacy -Database $database -HistoryTable legacy_history | Out-Null
        $database
    }
}

Describe 'Set-MigrationBaseline on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-BaselineProject
        # The schema export names objects as the database does: PostgreSQL's with their schema, its keys by their names.
        $p = if ($Dialect -eq 'PostgreSql') { 'public.' } else { '' }
        $fillsKey = if ($Dialect -eq 'PostgreSql') { 'constraint public.fills.fills_pkey' } else { 'constraint fills.primary_key' }
    }

    It 'labels each file from the live schema and records everything up to the version as applied, running nothing' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3

        $entries = Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -WarningVariable warnings -WarningAction SilentlyContinue

        $entries.Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.3', '1.0.4')
        $entries.Label | Should -Be @('Baseline', 'Baseline', 'Baseline', 'Apply')
        $entries.Recorded | Should -Be @($true, $true, $true, $false)
        $entries[1].Evidence | Should -Be "in the database: column ${p}trades.price, index ${p}trades_symbol_idx"
        $entries[3].Evidence | Should -Be "not in the database yet: table ${p}fills, column ${p}fills.id, column ${p}fills.order_id, $fillsKey"
        "$warnings" | Should -Be "The database has objects no migration up to 1.0.3 creates (reported, not a conflict): table ${p}legacy_history."

        $status = Get-MigrationStatus -Path $project -Database $database
        $status.State | Should -Be @('Applied', 'Applied', 'Applied', 'Pending')
        $status[0].AppliedBy | Should -BeLike 'baseline (*@*)'
        $status[0].Checksum | Should -Be $entries[0].Checksum
        # Again: nothing left to record.
        (Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -WarningAction SilentlyContinue).Recorded | Should -Not -Contain $true
        (Invoke-Migration -Path $project -Database $database).Version.Text | Should -Be '1.0.4'
        if ($Dialect -eq 'PostgreSql') {
            $name = ($database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
            Invoke-TestPsql -Database $name 'SELECT version, action, new_checksum IS NOT NULL, repaired_by <> '''' FROM schema_migrations_repairs ORDER BY id' |
                Should -Be @('1.0.1|Baseline to 1.0.3|t|t', '1.0.2|Baseline to 1.0.3|t|t', '1.0.3|Baseline to 1.0.3|t|t')
        }
    }

    It 'refuses a baseline the live schema contradicts (a missing table is a Conflict), unless -Force' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3 -Skip '1.0.3'

        { Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'BaselineContradictsSchema*' -ExpectedMessage "*migration 1.0.3 (create-orders): missing from the database: table ${p}orders, column ${p}orders.id, column ${p}orders.trade_id, constraint ${p}orders.*Nothing was recorded."
        (Get-MigrationStatus -Path $project -Database $database).State | Should -Be @('Pending', 'Pending', 'Pending', 'Pending')

        $forced = Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -Force -WarningAction SilentlyContinue
        $forced.Label | Should -Be @('Baseline', 'Baseline', 'Conflict', 'Apply')
        $forced.Recorded | Should -Be @($true, $true, $true, $false)
    }

    It 'refuses a baseline where a column''s type or a constraint differs from what the migrations make, naming the file that makes it' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3 -Override @{
            '1.0.2' = "ALTER TABLE trades ADD COLUMN price INTEGER;`nCREATE INDEX trades_symbol_idx ON trades (symbol);"
            '1.0.3' = 'CREATE TABLE orders (id INTEGER, trade_id INTEGER NOT NULL, PRIMARY KEY (id, trade_id));'
        }

        { Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'BaselineContradictsSchema*' -ExpectedMessage ("*migration 1.0.2 (add-price): column ${p}trades.price type differs: the migrations make 'numeric', the database has 'integer'; " +
                "migration 1.0.3 (create-orders): constraint ${p}orders.* definition differs: the migrations make 'PRIMARY KEY (id)', the database has 'PRIMARY KEY (id, trade_id)'*Nothing was recorded.")
        (Get-MigrationStatus -Path $project -Database $database).State | Should -Be @('Pending', 'Pending', 'Pending', 'Pending')

        $forced = Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -Force -WarningAction SilentlyContinue
        $forced.Label | Should -Be @('Baseline', 'Conflict', 'Conflict', 'Apply')
        $forced.Recorded | Should -Be @($true, $true, $true, $false)
    }

    It 'reports objects no migration creates without calling them a conflict' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3 -Extra "CREATE TABLE audit_log (id INTEGER PRIMARY KEY);`nALTER TABLE trades ADD COLUMN note TEXT;"

        $entries = Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $database -WarningVariable warnings -WarningAction SilentlyContinue

        $entries.Label | Should -Be @('Baseline', 'Baseline', 'Baseline', 'Apply')
        "$warnings" | Should -BeLike "*(reported, not a conflict): table ${p}audit_log, table ${p}legacy_history, column ${p}trades.note."
        (Get-MigrationStatus -Path $project -Database $database -State Applied).Version.Text | Should -Be @('1.0.1', '1.0.2', '1.0.3')
    }

    It 'shows every label, its evidence and each row under -WhatIf, and records nothing' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3
        $run = Invoke-Pwsh "$(Get-ImportLine); Set-MigrationBaseline -Version 1.0.3 -Path '$project' -Database '$database' -WhatIf -WarningAction SilentlyContinue | Out-Null"

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -BeLike "*Baseline: migration 1.0.1 (create-trades): in the database: table ${p}trades, column ${p}trades.id, column ${p}trades.symbol, constraint ${p}trades.*"
        $run.Output | Should -BeLike "*Apply: migration 1.0.4 (create-fills): not in the database yet: table ${p}fills*"
        $run.Output | Should -BeLike '*Record migration 1.0.3 (create-orders) in schema_migrations as Applied by a baseline to 1.0.3*no script is run*'
        (Get-MigrationStatus -Path $project -Database $database).State | Should -Be @('Pending', 'Pending', 'Pending', 'Pending')
    }

    It 'refuses a version that names no migration file' {
        $database = New-LegacyDatabase $Dialect $project 1.0.3
        { Set-MigrationBaseline -Version 1.0.9 -Path $project -Database $database } | Should -Throw -ErrorId 'UnknownBaselineVersion*'
        { Set-MigrationBaseline -Version 'one' -Path $project -Database $database } | Should -Throw -ErrorId 'InvalidBaselineVersion*'
    }
}

Describe 'Set-MigrationBaseline on PostgreSql for a user without CREATEDB' {
    It 'falls back to what each up script''s statements create, with a warning saying why' {
        $project = New-BaselineProject
        $database = New-LegacyDatabase PostgreSql $project 1.0.3
        $name = ($database -split ';' | Where-Object { $_ -like 'Database=*' }) -replace '^Database=', ''
        $role = 'tbm_nocreatedb_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-TestPsql -Database $name "CREATE ROLE $role LOGIN PASSWORD 'limited' NOCREATEDB; GRANT CREATE ON SCHEMA public TO $role; GRANT SELECT ON ALL TABLES IN SCHEMA public TO $role" | Out-Null
        try {
            $limited = ($database -replace 'Username=[^;]*', "Username=$role") -replace 'Password=[^;]*', 'Password=limited'

            $entries = Set-MigrationBaseline -Version 1.0.3 -Path $project -Database $limited -WarningVariable warnings -WarningAction SilentlyContinue

            "$warnings" | Should -BeLike '*could not be replayed into a scratch database*permission denied to create database*each up script''s statements create instead*'
            $entries.Label | Should -Be @('Baseline', 'Baseline', 'Baseline', 'Apply')
            $entries[1].Evidence | Should -Be 'in the database: column trades.price, index trades_symbol_idx'
            $entries.Recorded | Should -Be @($true, $true, $true, $false)
        }
        finally {
            Invoke-TestPsql -Database $name "DROP OWNED BY $role; DROP ROLE $role" | Out-Null
        }
    }
}
