#Requires -Version 7.4
# Export-MigrationSchema as a pwsh user runs it, on both databases: objects to the pipeline, the stable text to a file,
# the format view, and the target named without its password.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
}

Describe 'Export-MigrationSchema on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database | Out-Null
        $prefix = if ($Dialect -eq 'PostgreSql') { 'public.' } else { '' }
    }

    AfterEach { Pop-Location }

    It 'emits one object per table, column and constraint, without the history table' {
        $objects = @(Export-MigrationSchema -Database $database)
        $objects[0].GetType().FullName | Should -Be 'TradingBot.Migrations.MigrationSchemaObject'
        @($objects | Where-Object Kind -eq Table | ForEach-Object Name) | Should -Be @("${prefix}orders", "${prefix}trades")
        $price = $objects | Where-Object Name -eq "${prefix}trades.price"
        $price.Kind | Should -Be 'Column'
        $price.Table | Should -Be "${prefix}trades"
        $price.Properties.nullable | Should -Be 'yes'
        $price.Properties.position | Should -Be '3'
        $price.Text | Should -BeLike "column ${prefix}trades.price on ${prefix}trades`n  position: 3`n*"
        @($objects | Where-Object Kind -eq Constraint).Count | Should -Be 2
        $objects.Name | Should -Not -Match 'schema_migrations'
        $objects[0].Target | Should -Not -Match ([regex]::Escape('Password'))
    }

    It 'writes the same bytes twice, UTF-8 without a byte order mark and with \n line ends, and -AsText is that text' {
        $first = Export-MigrationSchema -Database $database -OutFile schema/first.txt
        $second = Export-MigrationSchema -Database $database -OutFile schema/second.txt
        $first | Should -BeOfType System.IO.FileInfo
        (Get-FileHash $first).Hash | Should -Be (Get-FileHash $second).Hash
        $bytes = [System.IO.File]::ReadAllBytes($first.FullName)
        $bytes[0] | Should -Be ([byte][char]'-')
        $bytes | Should -Not -Contain ([byte]13)
        Export-MigrationSchema -Database $database -AsText | Should -BeExactly ([System.IO.File]::ReadAllText($first.FullName))
    }

    It 'changes only the lines of the block of an index a migration adds' {
        $before = Export-MigrationSchema -Database $database -AsText
        Set-Content migrations/1.0.11__index-symbol.up.sql 'CREATE INDEX trades_symbol_idx ON trades (symbol);'
        Invoke-Migration -Database $database | Out-Null
        $after = Export-MigrationSchema -Database $database -AsText
        $added = @(Compare-Object ($before -split "`n") ($after -split "`n") | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" })
        $added[0] | Should -Be "=> index ${prefix}trades_symbol_idx on ${prefix}trades"
        $added[1] | Should -Match '^=>   definition: CREATE INDEX trades_symbol_idx ON (public\.)?trades'
        $added.Count | Should -BeIn @(3, 4)
        $added | Should -Not -Match '^<='
    }

    It 'renders Kind, Name and the properties in one line' {
        $text = Export-MigrationSchema -Database $database | Where-Object Name -eq "${prefix}trades.symbol" | Out-String -Width 200
        $text | Should -Match "Column\s+${prefix}trades\.symbol\s+position: 2; type: (TEXT|text); nullable: no"
    }

}

Describe 'Export-MigrationSchema on PostgreSQL with -Credential' {
    It 'connects with the user and password of -Credential and never prints the password' {
        $url = New-TestDatabase -Dialect PostgreSql -AsUrl
        $server = Get-TestPostgresSettings
        $withoutPassword = $url -replace ':[^:@/]+@', '@'
        $credential = [pscredential]::new($server.Username, (ConvertTo-SecureString $server.Password -AsPlainText -Force))
        Invoke-Migration -Database $url -Path (New-TestProject | Join-Path -ChildPath migrations) | Out-Null
        $objects = @(Export-MigrationSchema -Database $withoutPassword -Credential $credential)
        $objects.Name | Should -Contain 'public.trades'
        ($objects | ConvertTo-Json -Depth 4) | Should -Not -Match ([regex]::Escape($server.Password))
    }
}

Describe 'The committed schema file and Test-MigrationDrift on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        $prefix = if ($Dialect -eq 'PostgreSql') { 'public.' } else { '' }
        $file = if ($Dialect -eq 'PostgreSql') { 'migrations/schema.postgres.txt' } else { 'migrations/schema.sqlite.txt' }
    }

    AfterEach { Pop-Location }

    It 'writes the replayed schema beside the migrations, checks it, and fails with a diff once a migration changes the schema' {
        Export-MigrationSchema -Replay -Database $database -OutFile $file | Out-Null
        Get-Content $file -Raw | Should -BeLike "*table ${prefix}orders*"
        @(Test-MigrationDrift -Replay -SchemaFile $file -Database $database) | Should -HaveCount 0
        Get-MigrationStatus -Database $database | ForEach-Object State | Should -Not -Contain 'Applied'

        Set-Content migrations/1.0.11__fills.up.sql 'CREATE TABLE fills (id INTEGER PRIMARY KEY);'
        $thrown = $null
        try { Test-MigrationDrift -Replay -SchemaFile $file -Database $database -ErrorAction Stop | Out-Null } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be 'SchemaFileOutOfDate,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
        $thrown.Exception.Message | Should -BeLike "*`n+ table ${prefix}fills`n*"
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*Export-MigrationSchema -Replay -OutFile*'
    }

    It 'reports a hand-made index and a left-behind column against the applied migrations, and fails on -FailOn' {
        Invoke-Migration -Database $database -TargetVersion 1.0.2 | Out-Null
        @(Test-MigrationDrift -Database $database) | Should -HaveCount 0
        $hotfix = New-Item -ItemType Directory "$project/hotfix"
        Set-Content "$hotfix/9.0.0__hotfix.up.sql" 'CREATE INDEX trades_symbol_idx ON trades (symbol); ALTER TABLE trades ADD COLUMN left_behind INTEGER;'
        Invoke-Migration -Database $database -Path $hotfix -HistoryTable hotfix_history | Out-Null

        # The hot fix's own history table is drift too; what matters here is what it did to trades.
        $differences = @(Test-MigrationDrift -Database $database | Where-Object { $_.Name -notlike '*hotfix_history*' -and $_.Table -notlike '*hotfix_history*' })
        $differences | ForEach-Object { "$($_.ObjectKind) $($_.Name) $($_.Difference) $($_.Severity)" } |
            Should -Be @("Column ${prefix}trades.left_behind extra Warning", "Index ${prefix}trades_symbol_idx extra Warning")
        $differences[0].Severity | Should -BeOfType TradingBot.Migrations.SafetySeverity
        ($differences | ConvertTo-Json | ConvertFrom-Json)[0].Severity | Should -Be 'Warning'
        { Test-MigrationDrift -Database $database -FailOn Error } | Should -Not -Throw
        { Test-MigrationDrift -Database $database -FailOn Warning -ErrorAction Stop } | Should -Throw -ErrorId 'SchemaDriftFound,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
    }

    It 'compares two databases in each direction' {
        $other = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database | Out-Null
        Invoke-Migration -Database $other -TargetVersion 1.0.2 | Out-Null

        $missing = @(Test-MigrationDrift -Reference $database -Difference $other)
        $extra = @(Test-MigrationDrift -Reference $other -Difference $database)

        @($missing | Where-Object ObjectKind -eq Table | ForEach-Object { "$($_.Name) $($_.Difference) $($_.Severity)" }) | Should -Be @("${prefix}orders missing Error")
        @($extra | Where-Object ObjectKind -eq Table | ForEach-Object { "$($_.Name) $($_.Difference) $($_.Severity)" }) | Should -Be @("${prefix}orders extra Warning")
        $missing.Count | Should -Be $extra.Count
        $lines = @((Test-MigrationDrift -Reference $database -Difference $other | Out-String -Width 200) -split "`n" | Where-Object { $_.Trim() })
        $lines | Should -Contain ($lines | Where-Object { $_ -match "^Error\s+Table\s+${prefix}orders\s+missing" })
    }

    It 'writes the drift through Export-MigrationReport: a JUnit test case per difference failed at or above -FailOn, and a Markdown table' {
        $other = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database | Out-Null
        Invoke-Migration -Database $other -TargetVersion 1.0.2 | Out-Null
        $differences = @(Test-MigrationDrift -Reference $database -Difference $other)

        $byDefault = $differences | Export-MigrationReport -Format JUnit -Path "$project/reports/drift.xml"
        $warnings = $differences | Export-MigrationReport -Format JUnit -Path "$project/reports/warnings.xml" -FailOn Info
        $markdown = Test-MigrationDrift -Reference $database -Difference $other | Export-MigrationReport -Format Markdown -Path "$project/reports/drift.md" -Title 'QA drift'

        [xml] $xml = Get-Content $byDefault -Raw
        $suite = $xml.testsuites.testsuite
        $suite.tests | Should -Be "$($differences.Count)"
        $suite.failures | Should -Be "$(@($differences | Where-Object Severity -eq Error).Count)"
        $orders = $suite.testcase | Where-Object name -eq "Table ${prefix}orders missing"
        $orders.failure.message | Should -BeLike "Error: Table ${prefix}orders is missing (only in *)"
        $orders.classname | Should -Be $differences[0].Target
        if ($Dialect -eq 'PostgreSql') { $xml.OuterXml | Should -Not -Match ([regex]::Escape((Get-TestPostgresSettings).Password)) }
        ([xml] (Get-Content $warnings -Raw)).testsuites.testsuite.failures | Should -Be "$($differences.Count)"
        $lines = Get-Content $markdown
        $lines[0] | Should -BeLike '# QA drift: * compared with *'
        $lines | Should -Contain '| Severity | Kind | Name | Table | Difference | Reference | Compared |'
        $lines | Where-Object { $_ -like "| Error | Table | ${prefix}orders |  | missing |*" } | Should -HaveCount 1
    }

    It 'refuses a schema file it did not write, naming the line' {
        Set-Content $file "CREATE TABLE trades (id integer);"
        { Test-MigrationDrift -Database $database -SchemaFile $file -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSchemaFile,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
    }
}

Describe 'Scratch databases of a PostgreSQL replay' {
    It 'leaves none behind, also when a migration fails' {
        $project = New-TestProject
        $database = New-TestDatabase -Dialect PostgreSql
        Set-Content "$project/migrations/1.0.11__broken.up.sql" 'CREATE TABLE trades (id integer);'
        { Export-MigrationSchema -Replay -Database $database -Path "$project/migrations" -ErrorAction Stop } | Should -Throw -ErrorId 'MigrationFailed,TradingBot.Migrations.Commands.ExportMigrationSchemaCommand'
        Invoke-TestPsql "SELECT count(*) FROM pg_database WHERE datname LIKE 'tbm\_scratch\_%'" | Should -Be '0'
    }
}

Describe 'Test-MigrationDrift -RoundTrip on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        $prefix = if ($Dialect -eq 'PostgreSql') { 'public.' } else { '' }
    }

    AfterEach { Pop-Location }

    It 'reports each migration, catches a down that leaves an index behind, and writes JUnit through Export-MigrationReport' {
        Set-Content migrations/1.0.11__index.up.sql 'CREATE INDEX IF NOT EXISTS trades_symbol_idx ON trades (symbol);'
        Set-Content migrations/1.0.11__index.down.sql 'SELECT 1;'
        Set-Content migrations/1.0.12__fills.up.sql 'CREATE TABLE fills (id INTEGER PRIMARY KEY);'

        $results = @(Test-MigrationDrift -RoundTrip -Database $database)

        $results | ForEach-Object { "$($_.Version) $($_.Outcome) $($_.Status)" } |
            Should -Be @('1.0.1 Lossless Succeeded', '1.0.2 Lossless Succeeded', '1.0.10 Lossless Succeeded', '1.0.11 Differs Failed', '1.0.12 NoDown Skipped')
        $results[3].Reason | Should -Be "after the down, index ${prefix}trades_symbol_idx is left over"
        $results[3].Differences[0].Difference | Should -Be 'extra'
        $results[3].Version | Should -BeOfType TradingBot.Migrations.MigrationVersion
        $report = $results | Export-MigrationReport -Format JUnit -Path "$project/round-trip.xml"
        [xml] $xml = Get-Content $report -Raw
        $xml.testsuites.testsuite.failures | Should -Be '1'
        $xml.testsuites.testsuite.skipped | Should -Be '1'
        ($xml.testsuites.testsuite.testcase | Where-Object { $_.failure }).failure.message | Should -Be "after the down, index ${prefix}trades_symbol_idx is left over"
        { Test-MigrationDrift -RoundTrip -Database $database -FailOn Warning -ErrorAction Stop } | Should -Throw -ErrorId 'RoundTripFailed,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
        Get-MigrationStatus -Database $database | ForEach-Object State | Should -Not -Contain 'Applied'
    }
}

Describe 'Test-MigrationDrift -NewMigration on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        $prefix = if ($Dialect -eq 'PostgreSql') { 'public.' } else { '' }
    }

    AfterEach { Pop-Location }

    It 'writes the next migration from the drift, which brings another database to the drifted schema' {
        $other = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database | Out-Null
        Invoke-Migration -Database $other | Out-Null
        $hotfix = New-Item -ItemType Directory "$project/hotfix"
        Set-Content "$hotfix/9.0.0__hotfix.up.sql" @'
CREATE INDEX trades_symbol_idx ON trades (symbol); ALTER TABLE trades ADD COLUMN note TEXT;
CREATE TABLE fills (id INTEGER PRIMARY KEY, trade_id INTEGER NOT NULL REFERENCES trades (id), quantity INTEGER DEFAULT 1 CHECK (quantity > 0));
CREATE VIEW big_fills AS SELECT id, quantity FROM fills WHERE quantity > 10;
'@
        Invoke-Migration -Database $database -Path $hotfix -HistoryTable hotfix_history | Out-Null
        Remove-Item $hotfix -Recurse

        $files = @(Test-MigrationDrift -Reference $other -Difference $database -NewMigration record-hotfix)

        $files.Name | Should -Be @('1.0.11__record-hotfix.up.sql', '1.0.11__record-hotfix.down.sql')
        $up = Get-Content $files[0] -Raw
        $up | Should -BeLike '*-- REVIEW: generated by Test-MigrationDrift*'
        $up | Should -BeLike "*ALTER TABLE ${prefix}trades ADD COLUMN note*"
        $up | Should -BeLike "*CREATE INDEX trades_symbol_idx ON ${prefix}trades*"
        $up | Should -BeLike "*-- REVIEW: creates table ${prefix}fills as the compared database has it`nCREATE TABLE ${prefix}fills (*"
        $up | Should -BeLike "*-- REVIEW: creates view ${prefix}big_fills as the compared database has it`nCREATE VIEW ${prefix}big_fills*"
        Get-Content $files[1] -Raw | Should -BeLike "*-- REVIEW: drops table ${prefix}fills and its data`nDROP TABLE ${prefix}fills;*"
        Invoke-Migration -Database $other | ForEach-Object Status | Should -Be 'Succeeded'
        @(Test-MigrationDrift -Reference $other -Difference $database | Where-Object { $_.Name -notlike '*hotfix_history*' -and $_.Table -notlike '*hotfix_history*' }) | Should -HaveCount 0
        Undo-Migration -Database $other -Count 1 -Force | Out-Null
        @(Test-MigrationDrift -Reference $other -Difference $database | Where-Object Name -like "${prefix}trades*").Count | Should -Be 2
        @(Test-MigrationDrift -Reference $other -Difference $database | Where-Object { $_.Name -like "${prefix}*fills" -and $_.Difference -eq 'extra' }).ObjectKind | Should -Be @('Table', 'View')
    }
}

Describe 'Test-MigrationDrift on PostgreSQL privileges, comments and row-level security' {
    It 'reports a hand-made grant, comment and policy, each with its severity, and fails -FailOn Error on the grant' {
        $project = New-TestProject
        Push-Location $project
        try {
            $database = New-TestDatabase -Dialect PostgreSql
            Invoke-Migration -Database $database | Out-Null
            $hotfix = New-Item -ItemType Directory "$project/hotfix"
            Set-Content "$hotfix/9.0.0__hotfix.up.sql" @'
DO $$ BEGIN CREATE ROLE tbm_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
GRANT SELECT ON trades TO tbm_reader;
COMMENT ON TABLE trades IS 'every fill';
ALTER TABLE trades ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON trades FOR SELECT TO tbm_reader USING (true);
'@
            Invoke-Migration -Database $database -Path $hotfix -HistoryTable hotfix_history | Out-Null

            $differences = @(Test-MigrationDrift -Database $database | Where-Object { $_.Name -notlike '*hotfix_history*' -and $_.Table -notlike '*hotfix_history*' })

            $differences | ForEach-Object { "$($_.ObjectKind) $($_.Name) $($_.Difference) $($_.Severity)" } | Should -Be @(
                'Table public.trades row security Error', 'Table public.trades privileges Error', 'Table public.trades comment Info',
                'Policy public.trades.readers extra Error')
            ($differences | Where-Object Difference -eq privileges).DifferenceValue | Should -Be 'GRANT SELECT TO tbm_reader'
            $thrown = $null
            try { Test-MigrationDrift -Database $database -FailOn Error -ErrorAction Stop | Out-Null } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be 'SchemaDriftFound,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
            $thrown.Exception.Message | Should -BeLike "*+   privileges: GRANT SELECT TO tbm_reader*"
            Export-MigrationSchema -Database $database -AsText | Should -BeLike "*policy public.trades.readers on public.trades`n  type: permissive`n  command: SELECT`n  roles: tbm_reader`n  using: true`n*"
        }
        finally { Pop-Location }
    }
}

Describe 'Test-MigrationDrift against the applied migrations on <Dialect>, with gaps and missing files' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
    }

    AfterEach { Pop-Location }

    It 'replays only the applied migrations, leaving a pending one between them out' {
        Move-Item migrations/1.0.2__* $project
        Invoke-Migration -Database $database | Out-Null
        Move-Item "$project/1.0.2__*" migrations

        $differences = @(Test-MigrationDrift -Database $database -Verbose 4>&1)

        @($differences | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 0
        @(($differences | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -like '*replayed without 1.0.2 (not applied)*') | Should -HaveCount 1
    }

    It 'refuses with AppliedMigrationMissing when an applied migration has no file, and warns about a modified one' {
        Invoke-Migration -Database $database | Out-Null
        Add-Content (Get-Item migrations/1.0.1__*.up.sql) '-- edited after it was applied'
        @(Test-MigrationDrift -Database $database -WarningVariable warnings -WarningAction SilentlyContinue) | Should -HaveCount 0
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike 'Migration 1.0.1 (*) changed after it was applied*'

        Remove-Item migrations/1.0.10__*
        $thrown = $null
        try { Test-MigrationDrift -Database $database -ErrorAction Stop | Out-Null } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be 'AppliedMigrationMissing,TradingBot.Migrations.Commands.TestMigrationDriftCommand'
        $thrown.Exception.Message | Should -BeLike '*applied 1.0.10, whose files are not in*'
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*-SchemaFile*'
    }
}
