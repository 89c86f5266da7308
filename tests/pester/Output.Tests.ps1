#Requires -Version 7.4
# What a pwsh user sees of the module's objects, on both databases: the default format views as pwsh renders them,
# the pipelines written with pwsh's own cmdlets (Sort/Select/Group/Where, ConvertTo-Json, Export-Csv), the FileInfo
# objects, the streams (progress, verbose, warnings) and output redirected as a CI step redirects it.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # A format view as pwsh renders it, at a fixed width, under the given $PSStyle.OutputRendering.
    function Out-Rendered([Parameter(ValueFromPipeline)] $InputObject, [string] $Rendering = 'PlainText', [int] $Width = 200) {
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $saved = $PSStyle.OutputRendering
            try { $PSStyle.OutputRendering = $Rendering; $items | Out-String -Width $Width }
            finally { $PSStyle.OutputRendering = $saved }
        }
    }

    # For the fleet runs below: a new project, made the current location (Pop-Location leaves it), and the SQLite URLs
    # of Count tenant databases in it (tenant1.db, ...).
    function Enter-TenantProject([int] $Count) {
        $project = New-TestProject
        Push-Location $project
        1..$Count | ForEach-Object { "sqlite:$(Join-Path $project "tenant$_.db")" }
    }

    # The lines of a rendering with their trailing blanks cut, blank lines dropped.
    function Get-Lines([string] $Text) { @($Text -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ }) }

    # A file a cmdlet wrote, each one as Get-Item shows it: the FileSystem provider's item (PSParentPath groups the table
    # by directory; Mode, User, Group and Length are filled), not a bare FileInfo, whose row has those blank.
    function Should-RenderAsGetItem($Written) {
        @($Written).Count | Should -BeGreaterThan 0
        foreach ($file in $Written) {
            $file.PSProvider.Name | Should -Be 'FileSystem'
            ($file | Format-Table | Out-Rendered) | Should -Be (Get-Item -LiteralPath $file.FullName | Format-Table | Out-Rendered)
        }
    }

    # ConvertTo-Json's text read back with every value as written (ISO times stay strings).
    function Read-Json([string] $Json) { @($Json | ConvertFrom-Json -DateKind String -NoEnumerate) | ForEach-Object { $_ } }

    $Iso8601WithZone = '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$'

    # pwsh's own decorations of the lines it writes (VERBOSE:, WARNING:, table headers, errors): a redirected log keeps
    # them when TERM names a terminal; what is left after removing them is the module's own text.
    function Remove-PwshDecoration([string] $Text) {
        $f = $PSStyle.Formatting
        foreach ($code in @($f.Verbose, $f.Warning, $f.Error, $f.ErrorAccent, $f.Debug, $f.TableHeader, $f.FormatAccent, $f.CustomTableHeaderLabel, $PSStyle.Reset) | Where-Object { $_ } | Sort-Object Length -Descending) {
            $Text = $Text.Replace($code, '')
        }
        $Text
    }
}

Describe 'Default format views on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
    }

    AfterEach { Pop-Location }

    It 'renders the status table: Version, Name, State, AppliedAt, Duration' {
        Invoke-Migration -Database $database -TargetVersion 1.0.2 | Out-Null
        $lines = Get-Lines (Get-MigrationStatus -Database $database | Out-Rendered)
        $lines[0] | Should -Match '^Version\s+Name\s+State\s+AppliedAt\s+Duration$'
        $lines[1] | Should -Match '^-------\s+----\s+-----\s+---------\s+--------$'
        $lines[2] | Should -Match '^1\.0\.1\s+create-trades\s+Applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+[\d,]+ ms$'
        $lines[3] | Should -Match '^1\.0\.2\s+add-price\s+Applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+[\d,]+ ms$'
        $lines[4] | Should -Match '^1\.0\.10\s+create-orders\s+Pending$'
        $lines.Count | Should -Be 5
    }

    It 'renders the results table: Version, Name, Direction, Status, Duration' {
        $lines = Get-Lines (Invoke-Migration -Database $database | Out-Rendered)
        $lines[0] | Should -Match '^Version\s+Name\s+Direction\s+Status\s+Duration$'
        $lines[2] | Should -Match '^1\.0\.1\s+create-trades\s+Up\s+Succeeded\s+[\d,]+ ms$'
        $lines[4] | Should -Match '^1\.0\.10\s+create-orders\s+Up\s+Succeeded\s+[\d,]+ ms$'
        $lines = Get-Lines (Undo-Migration -Database $database -Count 1 -Force | Out-Rendered)
        $lines[2] | Should -Match '^1\.0\.10\s+create-orders\s+Down\s+Succeeded\s+[\d,]+ ms$'
    }

    It 'renders safety findings grouped by migration: Severity, Rule, Script, Line, Message' {
        Set-Content -Path ./migrations/1.0.11__drop-orders.up.sql -Value "SELECT 1;`nDROP TABLE orders;"
        Set-Content -Path ./migrations/1.0.11__drop-orders.down.sql -Value 'CREATE TABLE orders (id INTEGER PRIMARY KEY);'
        Invoke-Migration -Database $database -TargetVersion 1.0.10 | Out-Null
        $lines = Get-Lines (Test-MigrationSafety -Database $database | Where-Object Rule -eq 'drop-table' | Out-Rendered)
        $lines[0] | Should -Match '^\s*Migration: 1\.0\.11 drop-orders$'
        $lines[1] | Should -Match '^Severity\s+Rule\s+Script\s+Line\s+Message$'
        $lines[3] | Should -Match '^Error\s+drop-table\s+Up\s+2 drops table orders'
    }

    It 'colours the states under Ansi rendering and not under PlainText' {
        Invoke-Migration -Database $database -TargetVersion 1.0.2 | Out-Null
        $ansi = Get-MigrationStatus -Database $database | Out-Rendered -Rendering Ansi
        $ansi.Contains("$($PSStyle.Foreground.Green)Applied$($PSStyle.Reset)") | Should -BeTrue
        $ansi.Contains("$($PSStyle.Foreground.Yellow)Pending$($PSStyle.Reset)") | Should -BeTrue
        (Invoke-Migration -Database $database | Out-Rendered -Rendering Ansi).Contains("$($PSStyle.Foreground.Green)Succeeded$($PSStyle.Reset)") | Should -BeTrue
        (Get-MigrationStatus -Database $database | Out-Rendered -Rendering PlainText) | Should -Not -Match "`e"
        (Undo-Migration -Database $database -Count 1 -Force | Out-Rendered -Rendering PlainText) | Should -Not -Match "`e"
        (Test-MigrationSafety -Database $database -All | Out-Rendered -Rendering PlainText) | Should -Not -Match "`e"
    }
}

Describe 'Pipelines with pwsh''s own cmdlets on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        Invoke-Migration -Database $database -TargetVersion 1.0.2 | Out-Null
        $status = Get-MigrationStatus -Database $database
    }

    AfterEach { Pop-Location }

    It 'sorts by Version part by part: 1.0.10 after 1.0.2' {
        ($status | Get-Random -Shuffle | Sort-Object Version | ForEach-Object { "$($_.Version)" }) | Should -Be @('1.0.1', '1.0.2', '1.0.10')
        ($status | Sort-Object Version -Descending | ForEach-Object { "$($_.Version)" }) | Should -Be @('1.0.10', '1.0.2', '1.0.1')
    }

    It 'filters with Where-Object on Version, State, AppliedAt and Duration' {
        ($status | Where-Object Version -gt 1.0.2).Name | Should -Be 'create-orders'
        ($status | Where-Object State -eq Pending).Name | Should -Be 'create-orders'
        ($status | Where-Object State -in 'Applied', 'Failed').Count | Should -Be 2
        ($status | Where-Object AppliedAt -gt (Get-Date).AddMinutes(-10)).Count | Should -Be 2
        ($status | Where-Object AppliedAt | Where-Object AppliedAt -lt (Get-Date).AddMinutes(-10)).Count | Should -Be 0
        ($status | Where-Object State -eq Applied | Where-Object Duration -lt '00:10:00').Count | Should -Be 2
        ($status | Where-Object Duration -ge ([timespan]::Zero)).Count | Should -Be 2
        $status[0].AppliedAt.ToString('yyyy-MM-dd') | Should -Be $status[0].AppliedAt.UtcDateTime.ToString('yyyy-MM-dd')
        $status[0].AppliedAt.ToUniversalTime().Offset | Should -Be ([timespan]::Zero)
    }

    It 'prints timestamps through their ToString without compiling code for each value (Export-Csv, Format-Table)' {
        $rows = foreach ($i in 1..300) { [pscustomobject]@{ At = $status[0].AppliedAt } }
        $null = $rows | ConvertTo-Csv    # PowerShell's own code on these paths is compiled once, here, before the count
        $null = $rows | Format-Table At | Out-String
        $before = [System.Runtime.JitInfo]::GetCompiledMethodCount($true)
        $csv = $rows | ConvertTo-Csv
        $table = $rows | Format-Table At | Out-String
        $compiled = [System.Runtime.JitInfo]::GetCompiledMethodCount($true) - $before
        $csv[1] | Should -Be ('"{0}"' -f $status[0].AppliedAt.ToString())
        $status[0].AppliedAt.ToString() | Should -Match $Iso8601WithZone
        $table | Should -Match ([regex]::Escape($status[0].AppliedAt.ToString()))
        # A CodeMethod ToString made pwsh compile a dynamic method for every value it printed (600 here; 0.6 ms each).
        $compiled | Should -BeLessThan 30
    }

    It 'compares AppliedAt as an instant in a time zone far from UTC' {
        $command = (Get-ImportLine) + "; @(Get-MigrationStatus -Database `$env:TBM_TEST_DB -Path ./migrations | Where-Object AppliedAt -gt (Get-Date).AddMinutes(-10)).Count; @(Get-MigrationStatus -Database `$env:TBM_TEST_DB -Path ./migrations | Where-Object AppliedAt | Where-Object AppliedAt -lt (Get-Date).AddMinutes(-10)).Count"
        # Nine hours ahead of UTC: a UTC DateTime compared with a local one would be off by nine hours.
        $run = Invoke-Pwsh -Command $command -Environment @{ TZ = 'Asia/Tokyo'; TBM_TEST_DB = $database }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        ($run.StdOut -split "`r?`n" | Where-Object { $_ }) | Should -Be @('2', '0')
    }

    It 'keeps the typed values through Select-Object and groups by State' {
        $selected = $status | Select-Object Version, State, AppliedAt, Duration
        $selected[0].Version | Should -BeOfType ([TradingBot.Migrations.MigrationVersion])
        $selected[0].State | Should -BeOfType ([TradingBot.Migrations.MigrationState])
        $selected[0].Duration | Should -BeOfType ([timespan])
        ($selected | Where-Object Version -gt 1.0.2).State | Should -Be 'Pending'
        $groups = $status | Group-Object State
        ($groups | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be @('Applied=2', 'Pending=1')
    }

    It 'writes versions as text, states as names, ISO 8601 times with a zone and durations as time spans in ConvertTo-Json' {
        foreach ($json in @(($status | ConvertTo-Json), ($status | ConvertTo-Json -Depth 5))) {
            $rows = Read-Json $json
            $rows.Version | Should -Be @('1.0.1', '1.0.2', '1.0.10')
            $rows.State | Should -Be @('Applied', 'Applied', 'Pending')
            $rows[0].AppliedAt | Should -Match $Iso8601WithZone
            [datetimeoffset]::Parse($rows[0].AppliedAt) | Should -Be $status[0].AppliedAt
            [timespan]$rows[0].Duration | Should -Be $status[0].Duration
            $rows[2].AppliedAt | Should -BeNullOrEmpty
            foreach ($property in $rows[0].PSObject.Properties) {
                $property.TypeNameOfValue | Should -Not -Be 'System.Management.Automation.PSCustomObject' -Because "$($property.Name) is a value, not an object"
            }
        }
    }

    It 'writes results and safety findings cleanly in ConvertTo-Json' {
        $results = Read-Json (Invoke-Migration -Database $database | ConvertTo-Json -Depth 5)
        $results.Version | Should -Be '1.0.10'
        $results.Direction | Should -Be 'Up'
        $results.Status | Should -Be 'Succeeded'
        $results.StartedAt | Should -Match $Iso8601WithZone
        { [timespan]$results.Duration } | Should -Not -Throw
        Set-Content -Path ./migrations/1.0.11__drop-orders.up.sql -Value 'DROP TABLE orders;'
        $findings = Read-Json (Test-MigrationSafety -Database $database | ConvertTo-Json -Depth 5)
        $drop = $findings | Where-Object Rule -eq 'drop-table'
        $drop.Version | Should -Be '1.0.11'
        $drop.Severity | Should -Be 'Error'
        (Test-MigrationSafety -Database $database | Where-Object Severity -ge Warning | Where-Object Version -eq 1.0.11).Rule | Should -Contain 'drop-table'
    }

    It 'writes repair results and rollback assessments cleanly in ConvertTo-Json, typed in the pipeline' {
        Set-Content -Path ./migrations/1.0.11__retire-trades.up.sql -Value 'SELECT 1;'
        Set-Content -Path ./migrations/1.0.11__retire-trades.down.sql -Value 'DROP TABLE trades;'
        Invoke-Migration -Database $database | Out-Null
        $assessments = Test-MigrationSafety -Database $database -RollbackTo 1.0.2
        ($assessments | Sort-Object Version | ForEach-Object { "$($_.Version)" }) | Should -Be @('1.0.10', '1.0.11')
        ($assessments | Where-Object { $_.Findings.Rule -contains 'down-drops-data' }).Name | Should -Be 'retire-trades'
        $json = Read-Json ($assessments | ConvertTo-Json -Depth 5)
        $json.Version | Should -Be @('1.0.11', '1.0.10')
        $json.Kind | Should -Be @('Lossy', 'Lossy')
        $json[0].Findings[0].Rule | Should -Be 'down-drops-data'
        $json[0].Findings[0].Severity | Should -Be 'Error'
        $json[0].Findings[0].Version | Should -Be '1.0.11'
        Add-Content -Path ./migrations/1.0.1__create-trades.up.sql -Value '-- reformatted'
        $repair = Repair-Migration -Database $database -Action UpdateChecksum -Force
        $repair.PreviousState | Should -BeOfType ([TradingBot.Migrations.MigrationState])
        $repaired = Read-Json ($repair | ConvertTo-Json)
        $repaired.Version | Should -Be '1.0.1'
        $repaired.Action | Should -Be 'UpdateChecksum'
        $repaired.PreviousState | Should -Be 'Modified'
    }

    It 'round-trips through Export-Csv and Import-Csv with ISO 8601 times' {
        $status | Export-Csv -Path ./status.csv
        $rows = Import-Csv ./status.csv
        $rows.Version | Should -Be @('1.0.1', '1.0.2', '1.0.10')
        $rows.State | Should -Be @('Applied', 'Applied', 'Pending')
        $rows[0].AppliedAt | Should -Match $Iso8601WithZone
        [datetimeoffset]::Parse($rows[0].AppliedAt) | Should -Be $status[0].AppliedAt
        [timespan]$rows[0].Duration | Should -Be $status[0].Duration
        ($rows | Where-Object State -eq Pending).Name | Should -Be 'create-orders'
    }

    It 'shows every property as text under Format-List *' {
        $text = $status[0] | Format-List * | Out-Rendered
        $text | Should -Match '(?m)^Version\s+: 1\.0\.1$'
        $text | Should -Match '(?m)^State\s+: Applied$'
        $text | Should -Match '(?m)^AppliedAt\s+: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$'
        $text | Should -Match '(?m)^Duration\s+: \d\d:\d\d:\d\d'
        $text | Should -Match '(?m)^Target\s+: \S'
    }

    It 'still pipes status objects into Undo-Migration, which binds Version' {
        $undone = $status | Where-Object State -eq Applied | Sort-Object Version -Descending | Select-Object -First 1 | Undo-Migration -Database $database -Force
        "$($undone.Version)" | Should -Be '1.0.2'
        (Get-MigrationStatus -Database $database | Where-Object State -eq Applied).Count | Should -Be 1
    }

    It 'keeps -AsPlainObject flat' {
        $plain = Read-Json (Get-MigrationStatus -Database $database -AsPlainObject | ConvertTo-Json)
        $plain.Version | Should -Be @('1.0.1', '1.0.2', '1.0.10')
        $plain[0].AppliedAt | Should -Match 'Z$'
        $plain[0].DurationMs | Should -BeOfType ([double])
    }

    It 'emits the report file as Get-Item shows it' {
        $written = $status | Export-MigrationReport -Format Json -Path ./reports/status.json
        Should-RenderAsGetItem $written
        $written.FullName | Should -Be (Get-Item ./reports/status.json).FullName
        $written.PSParentPath | Should -Not -BeNullOrEmpty
    }
}

Describe 'New-Migration output' {
    It 'emits the files it creates as Get-Item shows them (Mode and Length filled)' {
        $project = New-TestProject
        $created = New-Migration -Name add-fees -Path (Join-Path $project 'migrations')
        $created.Count | Should -Be 2
        Should-RenderAsGetItem $created
        (Get-Lines ($created | Format-Table | Out-Rendered))[-1] | Should -Match '^\S+\s.*\s\d+ 1\.0\.11__add-fees\.down\.sql$'
        Push-Location Env:
        try { $fromEnvDrive = New-Migration -Name add-taxes -Path (Join-Path $project 'migrations') }
        finally { Pop-Location }
        $fromEnvDrive[0].PSProvider.Name | Should -Be 'FileSystem'
        $fromEnvDrive[0].Length | Should -BeGreaterThan 0
    }
}

Describe 'Views of a fleet run' {
    # Rows of many databases: each target's come out together once it is done, under a heading that names it (a
    # column would not fit a URL in an 80-column CI log). One database keeps its view (above).
    BeforeEach { $tenants = Enter-TenantProject 4 }

    AfterEach { Pop-Location }

    It 'shows each target''s results and status rows together under its own heading' {
        $results = Get-Lines (Invoke-Migration -Database $tenants -ThrottleLimit 4 | Out-Rendered -Width 80)
        $headings = @($results | Where-Object { $_ -match '^\s*Target: ' })
        $headings.Count | Should -Be 4 -Because 'each target''s three results come out as one block'
        @($results | Where-Object { $_ -match '^Version\s+Name\s+Direction\s+Status\s+Duration$' }).Count | Should -Be 4
        @($results | Where-Object { $_ -match '^1\.0\.(1|2|10)\s+\S+\s+Up\s+Succeeded\s' }).Count | Should -Be 12

        $status = Get-Lines (Get-MigrationStatus -Database $tenants | Out-Rendered)
        @($status | Where-Object { $_ -match '^\s*Target: ' }) -replace '^\s*Target: \S+(tenant\d)\.db$', '$1' | Sort-Object |
            Should -Be @('tenant1', 'tenant2', 'tenant3', 'tenant4')
        @($status | Where-Object { $_ -match '^Version\s+Name\s+State\s+AppliedAt\s+Duration$' }).Count | Should -Be 4
        (Get-MigrationStatus -Database $tenants)[0].PSObject.TypeNames[0] | Should -Be 'TradingBot.Migrations.MigrationStatus#Fleet'
        (Get-Lines (Get-MigrationStatus -Database $tenants[0] | Out-Rendered))[0] | Should -Match '^Version\s+Name\s+State'
    }

    It 'names the target over each group of findings and over each target''s schema objects' {
        Invoke-Migration -Database $tenants[0, 1] -TargetVersion 1.0.2 | Out-Null
        Set-Content migrations/1.0.11__drop-orders.up.sql 'DROP TABLE orders;'
        Set-Content migrations/1.0.11__drop-orders.down.sql 'CREATE TABLE orders (id INTEGER PRIMARY KEY);'

        $findings = Get-Lines (Test-MigrationSafety -Database $tenants[0, 1] | Out-Rendered)
        foreach ($tenant in 'tenant1.db', 'tenant2.db') {
            @($findings | Where-Object { $_ -match "^\s*Migration: 1\.0\.11 drop-orders · \S+$([regex]::Escape($tenant))$" }).Count | Should -Be 1
        }
        @(Get-Lines (Test-MigrationSafety -Database $tenants[0] | Out-Rendered) | Where-Object { $_ -match '^\s*Migration: 1\.0\.11 drop-orders$' }).Count | Should -Be 1

        $schema = Get-Lines (Export-MigrationSchema -Database $tenants[0, 1] | Out-Rendered)
        @($schema | Where-Object { $_ -match '^\s*Target: \S+tenant[12]\.db$' }).Count | Should -Be 2
        @($schema | Where-Object { $_ -match '^Table\s+trades$' }).Count | Should -Be 2
    }
}

Describe 'Files the cmdlets write' {
    BeforeEach { $tenants = Enter-TenantProject 2 }

    AfterEach { Pop-Location }

    It 'Invoke-Migration -PlanPath emits the plan file' {
        Should-RenderAsGetItem (Invoke-Migration -Database $tenants -PlanPath ./plan.json)
    }

    It 'Invoke-Migration -ScriptPath emits the script file' {
        Should-RenderAsGetItem (Invoke-Migration -Database $tenants[0] -ScriptPath ./up.sql)
    }

    It 'Export-MigrationSchema -OutFile emits the schema file' {
        Invoke-Migration -Database $tenants[0] | Out-Null
        Should-RenderAsGetItem (Export-MigrationSchema -Database $tenants[0] -OutFile ./schema/tenant1.sql)
    }

    It 'Test-MigrationDrift -NewMigration emits the two migration files' {
        Invoke-Migration -Database $tenants[0] | Out-Null
        # Drift: a table made outside the migrations folder (by the module, with a history table of its own).
        New-Item -ItemType Directory ./hotfix | Out-Null
        Set-Content ./hotfix/1__fees.up.sql 'CREATE TABLE fees (id INTEGER PRIMARY KEY);'
        Invoke-Migration -Database $tenants[0] -Path ./hotfix -HistoryTable hotfix_history | Out-Null
        $written = Test-MigrationDrift -Database $tenants[0] -NewMigration catch-up
        $written.Name | Should -Match '__catch-up\.(up|down)\.sql$'
        Should-RenderAsGetItem $written
    }
}

Describe 'No password in what users pipe or print (PostgreSQL)' {
    It 'keeps the password out of views, JSON, CSV, Format-List, Select-Object and Group-Object' {
        $project = New-TestProject
        Push-Location $project
        try {
            $password = Get-TestPassword
            foreach ($database in @((New-TestDatabase -Dialect PostgreSql), (New-TestDatabase -Dialect PostgreSql -AsUrl))) {
                $results = Invoke-Migration -Database $database -TargetVersion 1.0.2
                $status = Get-MigrationStatus -Database $database
                $findings = Test-MigrationSafety -Database $database
                $texts = @(
                    ($results | Out-Rendered), ($status | Out-Rendered), ($findings | Out-Rendered)
                    ($status | ConvertTo-Json -Depth 5), ($results | ConvertTo-Json -Depth 5), ($findings | ConvertTo-Json -Depth 5)
                    ($status | ConvertTo-Csv | Out-String), ($results | ConvertTo-Csv | Out-String)
                    ($status | Format-List * | Out-Rendered), ($results | Format-List * | Out-Rendered)
                    ($status | Select-Object * | Out-Rendered), ($status | Group-Object Target | Format-List * | Out-Rendered)
                    (Get-MigrationStatus -Database $database -AsPlainObject | ConvertTo-Json)
                )
                $status[0].Target | Should -Not -BeNullOrEmpty
                foreach ($text in $texts) { $text | Should -Not -BeLike "*$password*" }
            }
        }
        finally { Pop-Location }
    }
}

Describe 'Streams on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
    }

    AfterEach { Pop-Location }

    It 'writes progress records under $ProgressPreference Continue and none under SilentlyContinue' {
        $records = @{}
        foreach ($preference in 'Continue', 'SilentlyContinue') {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript('param($Manifest, $Project, $Database, $Preference) Import-Module $Manifest; Set-Location $Project; $ProgressPreference = $Preference; Invoke-Migration -Database $Database; Undo-Migration -Database $Database -All -Force')
                $null = $shell.AddParameter('Manifest', $ManifestPath).AddParameter('Project', $project).AddParameter('Database', $database).AddParameter('Preference', $preference)
                $output = $shell.Invoke()
                $shell.Streams.Error | Should -BeNullOrEmpty
                $output.Count | Should -Be 6
                $records[$preference] = @($shell.Streams.Progress)
            }
            finally { $shell.Dispose() }
        }
        $progress = $records['Continue']
        $running = @($progress | Where-Object RecordType -eq Processing)
        $running.Count | Should -Be 6
        $running[0].Activity | Should -Not -BeNullOrEmpty
        $running[0].StatusDescription | Should -BeLike 'Migration 1 of 3: 1.0.1 create-trades*'
        $running[0].PercentComplete | Should -Be 0
        $running[2].StatusDescription | Should -BeLike 'Migration 3 of 3: 1.0.10 create-orders*'
        $running[2].PercentComplete | Should -Be 66
        $running[3].StatusDescription | Should -BeLike 'Migration 1 of 3: 1.0.10 create-orders*'
        @($progress | Where-Object RecordType -eq Completed).Count | Should -Be 2
        $records['SilentlyContinue'].Count | Should -Be 0
    }

    It 'writes a verbose line per migration and per statement under -Verbose, and none without' {
        $verbose = @(Invoke-Migration -Database $database -TargetVersion 1.0.2 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain 'Applying 1.0.1 create-trades (1.0.1__create-trades.up.sql)'
        ($verbose | Where-Object { $_ -match '^\s+[\d.]+ ms  line 1: CREATE TABLE trades' }) | Should -Not -BeNullOrEmpty
        ($verbose | Where-Object { $_ -like 'Target: *' }) | Should -Not -BeNullOrEmpty
        @(Invoke-Migration -Database $database 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
    }

    It 'warns when an applied migration''s files are gone' {
        Invoke-Migration -Database $database | Out-Null
        Remove-Item ./migrations/1.0.10__*
        Set-Content -Path ./migrations/1.0.11__add-fees.up.sql -Value 'CREATE TABLE fees (id INTEGER PRIMARY KEY);'
        $warnings = @()
        Invoke-Migration -Database $database -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $warnings.Message | Should -Be 'Migration 1.0.10 (create-orders) is applied but its files are gone from the folder.'
    }
}

Describe 'Output redirected as a CI step redirects it on <Dialect>' -ForEach $Dialects {
    It 'draws no progress bar into the log and the module''s text carries no ANSI escape codes' {
        $project = New-TestProject
        Set-Content -Path (Join-Path $project 'migrations/1.0.11__broken.up.sql') -Value 'INSERT INTO nowhere VALUES (1);'
        $command = (Get-ImportLine) + @'
; $ErrorActionPreference = 'Continue'; $ProgressPreference = 'Continue'
Invoke-Migration -Database $env:TBM_TEST_DB -TargetVersion 1.0.10 -Verbose
Get-MigrationStatus -Database $env:TBM_TEST_DB | Format-Table
Test-MigrationSafety -Database $env:TBM_TEST_DB | Format-Table
Undo-Migration -Database $env:TBM_TEST_DB -All -WhatIf
Invoke-Migration -Database $env:TBM_TEST_DB
'@
        # TERM as a CI runner sets it: pwsh then decorates its own lines; the module must not add colour of its own.
        $run = Invoke-Pwsh -Command $command -WorkingDirectory $project -Environment @{ TBM_TEST_DB = (New-TestDatabase -Dialect $Dialect); TERM = 'xterm' }
        $run.Output | Should -BeLike '*1.0.10*create-orders*Succeeded*'
        $run.Output | Should -BeLike '*Applied*'
        $run.Output | Should -BeLike '*VERBOSE: Applying 1.0.1 create-trades*'
        $run.Output | Should -BeLike '*What if:*'
        $run.Output | Should -BeLike '*1.0.11__broken.up.sql*'
        $run.Output | Should -Not -BeLike '*Migration 1 of 3*'
        $module = Remove-PwshDecoration $run.Output
        $module | Should -Not -Match "`e" -Because 'the format views, messages, verbose and what-if lines and errors are plain text in a log'
    }
}
