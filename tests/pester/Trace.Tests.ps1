#Requires -Version 7.4
# Test-MigrationSafety -Trace as a pwsh user meets it: the locks each pending statement really takes on a scratch copy
# (PostgreSQL), the lock findings confirmed or refuted, the target untouched and no scratch database left behind; on SQLite
# which statements scan or rebuild a table.

BeforeAll {
    . $PSScriptRoot/Common.ps1

    function Get-ScratchDatabases {
        @(Invoke-TestPsql "SELECT datname FROM pg_database WHERE datname LIKE 'tbm\_scratch\_%' ORDER BY 1")
    }

    function New-TraceProject([string] $Pending, [string] $Name = 'pending') {
        $root = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path (Join-Path $root 'migrations') | Out-Null
        Set-Content -Path (Join-Path $root 'migrations/1.0.0__schema.up.sql') -Value @'
CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE trades (id integer PRIMARY KEY, customer_id integer, symbol text, note varchar(50));
INSERT INTO customers SELECT g FROM generate_series(1, 1000) g;
INSERT INTO trades SELECT g, g, 'T' || g, 'n' FROM generate_series(1, 1000) g;
'@
        if ($Pending) { Set-Content -Path (Join-Path $root "migrations/1.0.1__$Name.up.sql") -Value $Pending }
        $root
    }
}

Describe 'Test-MigrationSafety -Trace on PostgreSQL' {
    BeforeEach {
        $database = New-TestDatabase -Dialect PostgreSql -AsUrl
        $scratchBefore = Get-ScratchDatabases
    }

    AfterEach {
        Pop-Location
    }

    It 'traces a rewrite, a scan, an index build and a foreign key, and leaves the target as it was' {
        Push-Location (New-TraceProject '')
        Invoke-Migration -Database $database | Out-Null
        # In one transaction a statement's Locks are what it adds: each statement here asks for more than the ones before it,
        # except the rewrite, whose AccessExclusiveLock SET NOT NULL took already (HeldLocks has it).
        Set-Content ./migrations/1.0.1__pending.up.sql -Value @'
CREATE INDEX trades_symbol_idx ON trades (symbol);
ALTER TABLE trades ADD CONSTRAINT trades_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE trades ALTER COLUMN symbol SET NOT NULL;
ALTER TABLE trades ADD COLUMN token double precision DEFAULT random();
ALTER TABLE trades ALTER COLUMN note TYPE varchar(200) USING note;
'@
        $schemaBefore = Export-MigrationSchema -Database $database -AsText
        $historyBefore = Get-MigrationStatus -Database $database | ForEach-Object { "$($_.Version) $($_.State) $($_.Checksum) $($_.AppliedAt)" }

        $all = Test-MigrationSafety -Database $database -Trace

        $traced = @($all | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] })
        $traced.Line | Should -Be @(1, 2, 3, 4, 5)
        ($traced[0].Locks | Where-Object Relation -eq 'trades').Mode | Should -Be @('ShareLock')
        ($traced[1].Locks | Where-Object Relation -eq 'customers').Mode | Should -Contain 'ShareRowExclusiveLock'
        ($traced[2].Locks | Where-Object Relation -eq 'trades').Mode | Should -Be @('AccessExclusiveLock')
        $traced[2].RewroteTable | Should -BeFalse
        $traced[2].ScannedTables | Should -Be @('trades')
        $traced[3].RewroteTable | Should -BeTrue
        ($traced[3].HeldLocks | Where-Object Relation -eq 'trades').Mode | Should -Contain 'AccessExclusiveLock'
        $traced[4].RewroteTable | Should -BeFalse
        $traced[0].Duration | Should -BeOfType [timespan]

        ($all | Where-Object Rule -eq 'volatile-default').Trace | Should -Be 'Confirmed'
        ($all | Where-Object Rule -eq 'volatile-default').EstimatedWait | Should -BeOfType [timespan]
        ($all | Where-Object Rule -eq 'set-not-null').Trace | Should -Be 'Confirmed'
        ($all | Where-Object Rule -eq 'create-index-non-concurrently').Trace | Should -Be 'Confirmed'
        ($all | Where-Object Rule -eq 'change-column-type').Trace | Should -Be 'Refuted'
        $unpredicted = @($all | Where-Object Rule -eq 'unpredicted-lock')
        $unpredicted.Line | Should -Be @(2)
        $unpredicted.Message | Should -BeLike 'took ShareRowExclusiveLock on customers, which the rules did not predict*'

        Export-MigrationSchema -Database $database -AsText | Should -Be $schemaBefore
        Get-MigrationStatus -Database $database | ForEach-Object { "$($_.Version) $($_.State) $($_.Checksum) $($_.AppliedAt)" } | Should -Be $historyBefore
        Get-ScratchDatabases | Should -Be $scratchBefore
    }

    It 'traces CREATE INDEX CONCURRENTLY in a transaction: none migration without a blocking lock' {
        Push-Location (New-TraceProject '')
        Invoke-Migration -Database $database | Out-Null
        Set-Content ./migrations/1.0.1__pending.up.sql -Value "-- transaction: none`nCREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);"

        $all = Test-MigrationSafety -Database $database -Trace

        $traced = $all | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] }
        $traced.InTransaction | Should -BeFalse
        @($traced.Locks | Where-Object BlocksTraffic) | Should -BeNullOrEmpty
        $all | Where-Object Rule -eq 'unpredicted-lock' | Should -BeNullOrEmpty
        Invoke-TestPsql "SELECT count(*) FROM pg_indexes WHERE indexname = 'trades_symbol_idx'" -Database ($database -replace '.*/', '') | Should -Be '0'
        Get-ScratchDatabases | Should -Be $scratchBefore
    }

    It 'writes the verdicts and the trace into the JSON, JUnit and Markdown reports' {
        Push-Location (New-TraceProject '')
        Invoke-Migration -Database $database | Out-Null
        Set-Content ./migrations/1.0.1__pending.up.sql -Value 'CREATE INDEX trades_symbol_idx ON trades (symbol);'

        $objects = Test-MigrationSafety -Database $database -Trace -JsonPath ./safety.json -JUnitPath ./safety.xml -MarkdownPath ./safety.md

        ($objects | Where-Object Rule | ConvertTo-Json -Depth 3 | ConvertFrom-Json | Where-Object Rule -eq 'create-index-non-concurrently').Trace | Should -Be 'Confirmed'
        $json = Get-Content ./safety.json -Raw | ConvertFrom-Json
        ($json.findings | Where-Object rule -eq 'create-index-non-concurrently').trace | Should -Be 'Confirmed'
        $json.traces.locks | Where-Object { $_.relation -eq 'trades' -and $_.mode -eq 'ShareLock' } | Should -Not -BeNullOrEmpty
        $junit = [xml](Get-Content ./safety.xml -Raw)
        $trace = $junit.testsuites.testsuite.testcase | Where-Object name -eq 'lock-trace'
        $trace.'system-out' | Should -BeLike 'line 1: trades ShareLock*'
        $markdown = Get-Content ./safety.md -Raw
        $markdown | Should -BeLike '*## Lock trace*'
        # Contains, not -like: a backtick is -like's escape character.
        $markdown.Contains('| 1.0.1 pending | 1 | `CREATE INDEX trades_symbol_idx ON trades (symbol)` | **trades ShareLock** |  | trades |') | Should -BeTrue
        $markdown.Contains('| `create-index-non-concurrently` | 1.0.1 pending | 1 | Confirmed |') | Should -BeTrue
    }

    It 'fails with TraceFailed at the statement that fails on the scratch copy, and drops it' {
        Push-Location (New-TraceProject "ALTER TABLE trades ADD COLUMN token integer;`nALTER TABLE no_such_table ADD COLUMN x integer;")
        Invoke-Migration -Database $database -TargetVersion 1.0.0 | Out-Null

        { Test-MigrationSafety -Database $database -Trace -ErrorAction Stop } | Should -Throw -ErrorId 'TraceFailed,TradingBot.Migrations.Commands.TestMigrationSafetyCommand'
        $Error[0].Exception.Message | Should -BeLike '*1.0.1 failed at line 2*42P01*'
        Get-ScratchDatabases | Should -Be $scratchBefore
    }

    It 'drops the scratch database when stopped mid-statement, as Ctrl+C stops it' {
        Push-Location (New-TraceProject 'SELECT pg_sleep(60);')
        Invoke-Migration -Database $database -TargetVersion 1.0.0 | Out-Null
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Set-Location '$((Get-Location).Path)'; Import-Module '$ManifestPath'; Test-MigrationSafety -Database '$database' -Trace")
            $running = $shell.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Invoke-TestPsql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'") -eq '0' -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 200
            }
            (Get-ScratchDatabases).Count | Should -Be ($scratchBefore.Count + 1)

            $shell.Stop()

            $running.IsCompleted | Should -BeTrue
            Get-ScratchDatabases | Should -Be $scratchBefore
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Test-MigrationSafety -Trace -TraceServer on PostgreSQL' {
    BeforeAll {
        function Get-TraceView($Objects) {
            $Objects | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] } | ForEach-Object {
                "$($_.Version) $($_.Line) $(($_.Locks | ForEach-Object { "$($_.Relation) $($_.Mode)" }) -join ',') $($_.ScannedTables -join ',') $($_.RewroteTable)"
            }
            $Objects | Where-Object Rule | ForEach-Object { "$($_.Rule) $($_.Line) $($_.Trace)" }
        }
    }

    BeforeEach {
        $database = New-TestDatabase -Dialect PostgreSql -AsUrl
        $name = $database -replace '.*/', ''
        $scratchBefore = Get-ScratchDatabases
    }

    AfterEach {
        Pop-Location
    }

    It 'makes the scratch database on the named server, where the target''s user may not, and traces as without it' {
        # The target's user cannot create databases, so a scratch database can only come from the -TraceServer connection.
        $role = 'tbm_nocreatedb_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-TestPsql "CREATE ROLE $role LOGIN PASSWORD 'Tr4ceOnly' NOCREATEDB; ALTER DATABASE $name OWNER TO $role" | Out-Null
        try {
            $limited = $database -replace '//[^@]*@', "//${role}:Tr4ceOnly@"
            $traceServer = $database -replace '/[^/]*$', "/$((Get-TestPostgresSettings).Database)"
            Push-Location (New-TraceProject '')
            Invoke-Migration -Database $limited | Out-Null
            Set-Content ./migrations/1.0.1__pending.up.sql -Value @'
CREATE INDEX trades_symbol_idx ON trades (symbol);
ALTER TABLE trades ADD COLUMN token double precision DEFAULT random();
'@
            $schemaBefore = Export-MigrationSchema -Database $limited -AsText
            $historyBefore = Get-MigrationStatus -Database $limited | ForEach-Object { "$($_.Version) $($_.State) $($_.Checksum) $($_.AppliedAt)" }
            { Test-MigrationSafety -Database $limited -Trace -ErrorAction Stop } | Should -Throw -ErrorId 'ScratchDatabaseFailed,*'
            $Error[0].Exception.Message | Should -BeLike '*permission denied to create database*'

            $onServer = Test-MigrationSafety -Database $limited -Trace -TraceServer $traceServer
            $beside = Test-MigrationSafety -Database $database -Trace

            $view = @(Get-TraceView $onServer)
            $view | Should -Be @(Get-TraceView $beside)
            $view | Should -Contain '1.0.1 1 trades ShareLock trades False'
            $view | Should -Contain 'volatile-default 2 Confirmed'
            Get-ScratchDatabases | Should -Be $scratchBefore
            Export-MigrationSchema -Database $limited -AsText | Should -Be $schemaBefore
            Get-MigrationStatus -Database $limited | ForEach-Object { "$($_.Version) $($_.State) $($_.Checksum) $($_.AppliedAt)" } | Should -Be $historyBefore
        }
        finally {
            Invoke-TestPsql -Database $name "REASSIGN OWNED BY $role TO CURRENT_USER; DROP OWNED BY $role; DROP ROLE $role" | Out-Null
        }
    }

    It 'refuses a -TraceServer of another kind, or one naming the target database itself, before making anything' {
        Push-Location (New-TraceProject 'CREATE INDEX trades_symbol_idx ON trades (symbol);')
        $itself = (Get-TestPostgresSettings) | ForEach-Object { "Host=$($_.Host);Port=$($_.Port);Username=$($_.Username);Password=$($_.Password);Database=$name" }

        { Test-MigrationSafety -Database $database -Trace -TraceServer sqlite:./scratch.db -ErrorAction Stop } | Should -Throw -ErrorId 'TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand'
        $Error[0].Exception.Message | Should -BeLike '*-TraceServer * is Sqlite and the database * is PostgreSql*'
        { Test-MigrationSafety -Database $database -Trace -TraceServer $itself -ErrorAction Stop } | Should -Throw -ErrorId 'TraceNotSupported,TradingBot.Migrations.Commands.TestMigrationSafetyCommand'
        $Error[0].Exception.Message | Should -BeLike "*-TraceServer postgres://*/$name names the database *itself*"
        $Error[0].ErrorDetails.RecommendedAction | Should -BeLike 'Leave -TraceServer out*'
        './scratch.db' | Should -Not -Exist
        Get-ScratchDatabases | Should -Be $scratchBefore
    }
}

Describe 'Test-MigrationSafety -Trace on SQLite' {
    It 'shows which statements scan a table and which rebuild it, and leaves the database as it was' {
        Push-Location (New-TestProject)
        try {
            $database = New-TestDatabase -Dialect Sqlite
            Invoke-Migration -Database $database | Out-Null
            Set-Content ./migrations/1.0.11__rebuild.up.sql -Value @'
CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, price REAL NOT NULL DEFAULT 0);
INSERT INTO trades_new SELECT id, symbol, coalesce(price, 0) FROM trades;
DROP TABLE trades;
ALTER TABLE trades_new RENAME TO trades;
'@
            $schemaBefore = Export-MigrationSchema -Database $database -AsText

            $traced = @(Test-MigrationSafety -Database $database -Trace | Where-Object { $_ -is [TradingBot.Migrations.TracedStatement] })

            $traced.Line | Should -Be @(1, 2, 3, 4)
            $traced[1].ScannedTables | Should -Be @('trades')
            $traced.RewroteTable | Should -Be @($false, $false, $false, $true)
            $traced[3].RewrittenTables | Should -Be @('trades')
            Export-MigrationSchema -Database $database -AsText | Should -Be $schemaBefore
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.11).State | Should -Be 'Pending'
        }
        finally { Pop-Location }
    }
}
