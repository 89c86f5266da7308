#Requires -Version 7.4
# Errors as a pwsh user meets them, on both databases: -WhatIf, -Confirm without a console, -ErrorAction and
# $ErrorActionPreference, -ErrorVariable, stable FullyQualifiedErrorIds, `pwsh -c` exit codes, a failing rollback, and
# passwords (-Credential, and what pwsh itself shows of a password typed into a command).

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/Errors.ps1
}

Describe 'Errors on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
    }

    AfterEach {
        Pop-Location
    }

    Context '-WhatIf' {
        It 'changes nothing when applying, rolling back or repairing' {
            Invoke-Migration -Database $database -WhatIf
            (Get-MigrationStatus -Database $database).State | Should -Be @('Pending', 'Pending', 'Pending')

            Invoke-Migration -Database $database | Out-Null
            Undo-Migration -Database $database -All -WhatIf
            Set-Content -Path ./migrations/1.0.2__add-price.up.sql -Value 'ALTER TABLE trades ADD COLUMN price NUMERIC;'
            Repair-Migration -Database $database -Action UpdateChecksum -WhatIf
            (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Modified', 'Applied')
        }
    }

    Context 'confirmation without a console (pwsh -NonInteractive, input redirected)' {
        BeforeEach {
            Invoke-Migration -Database $database | Out-Null
        }

        It 'Undo-Migration without -Force is refused with the module''s own error before anything is rolled back' {
            $run = Invoke-PwshCatching "Undo-Migration -Database '$database' -Count 1"

            $run.ExitCode | Should -Be 2
            $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.UndoMigrationCommand'
            $run.Error.Category | Should -Be 'InvalidOperation'
            $run.Error.Message | Should -BeLike '*Nothing was rolled back*'
            $run.Error.Action | Should -BeLike '*-Force*-Confirm:$false*'
            (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Applied', 'Applied')
        }

        It 'shows the hint in the default error view of `pwsh -c` and exits 1' {
            $run = Invoke-Pwsh -Command "$(Get-ImportLine); Undo-Migration -Database '$database' -TargetVersion 1.0.2"

            $run.ExitCode | Should -Be 1
            (Remove-Ansi $run.Output) | Should -BeLike '*-Force*'
            (Remove-Ansi $run.Output) | Should -Not -BeLike '*NonInteractive mode*'
        }

        It 'Undo-Migration goes ahead with -Force or with -Confirm:$false' {
            (Invoke-Pwsh -Command "$(Get-ImportLine); Undo-Migration -Database '$database' -Count 1 -Force").ExitCode | Should -Be 0
            (Invoke-Pwsh -Command "$(Get-ImportLine); Undo-Migration -Database '$database' -Count 1 -Confirm:`$false").ExitCode | Should -Be 0
            (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Pending', 'Pending')
        }

        It '-Confirm is refused (even with -Force) and nothing is rolled back' {
            $run = Invoke-PwshCatching "Undo-Migration -Database '$database' -All -Force -Confirm"

            $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.UndoMigrationCommand'
            $run.Error.Action | Should -BeLike '*-Confirm*'
            (Get-MigrationStatus -Database $database).State | Should -Be @('Applied', 'Applied', 'Applied')
        }

        It 'Invoke-Migration -Confirm is refused and nothing is applied' {
            Set-Content -Path ./migrations/1.0.11__more.up.sql -Value 'CREATE TABLE more_things (id INTEGER PRIMARY KEY);'
            $run = Invoke-PwshCatching "Invoke-Migration -Database '$database' -Confirm"

            $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.InvokeMigrationCommand'
            $run.Error.Message | Should -BeLike '*Nothing was applied*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.11).State | Should -Be 'Pending'
        }

        It 'Repair-Migration without -Force is refused and nothing is repaired; -Force repairs' {
            Set-Content -Path ./migrations/1.0.2__add-price.up.sql -Value 'ALTER TABLE trades ADD COLUMN price NUMERIC;'
            $run = Invoke-PwshCatching "Repair-Migration -Database '$database' -Action UpdateChecksum"

            $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.RepairMigrationCommand'
            $run.Error.Message | Should -BeLike '*Nothing was repaired*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.2).State | Should -Be 'Modified'

            (Invoke-Pwsh -Command "$(Get-ImportLine); Repair-Migration -Database '$database' -Action UpdateChecksum -Force").ExitCode | Should -Be 0
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.2).State | Should -Be 'Applied'
        }
    }

    Context 'error preferences' {
        BeforeEach {
            Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value "SELECT 1;`nINSERT INTO nowhere VALUES (1);"
        }

        It '$ErrorActionPreference = ''Stop'' stops the script at a failed migration' {
            $reached = $false
            $caught = $null
            try {
                $ErrorActionPreference = 'Stop'
                Invoke-Migration -Database $database | Out-Null
                $reached = $true
            }
            catch { $caught = $_ }
            finally { $ErrorActionPreference = 'Continue' }

            $reached | Should -BeFalse
            $caught.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        }

        It '-ErrorAction Stop makes the failure catchable with its id, category and recommended action' {
            $caught = $null
            try { Invoke-Migration -Database $database -ErrorAction Stop | Out-Null } catch { $caught = $_ }

            $caught.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
            $caught.CategoryInfo.Category | Should -Be 'InvalidResult'
            $caught.TargetObject | Should -Be '1.0.11'
            $caught.ErrorDetails.RecommendedAction | Should -BeLike '*Invoke-Migration again*'
        }

        # A failed migration is a terminating error on purpose: try/catch always sees it, and no preference hides it.
        It 'a failed migration is not silenced by -ErrorAction <_>' -ForEach @('SilentlyContinue', 'Continue', 'Ignore') {
            { Invoke-Migration -Database $database -ErrorAction $_ | Out-Null } | Should -Throw -ErrorId 'MigrationFailed,*'
            (Get-MigrationStatus -Database $database | Where-Object State -eq Applied).Count | Should -Be 3
        }

        It '-ErrorVariable holds the failure and -OutVariable the results up to it' {
            try { Invoke-Migration -Database $database -ErrorVariable failures -OutVariable results | Out-Null } catch { }

            $failures.Count | Should -Be 1
            $failures[0].ErrorRecord.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
            $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded', 'Failed')
        }
    }

    Context 'stable FullyQualifiedErrorIds' {
        It '<Id> from <Command>' -ForEach @(
            @{ Id = 'MigrationFailed'; Command = 'Invoke-Migration'; Arrange = { Set-Content ./migrations/1.0.11__broken.up.sql 'INSERT INTO nowhere VALUES (1);' }; Act = { Invoke-Migration -Database $database } }
            @{ Id = 'ModifiedMigrationBlocks'; Command = 'Invoke-Migration'; Arrange = { Set-Content ./migrations/1.0.2__add-price.up.sql 'ALTER TABLE trades ADD COLUMN price NUMERIC;'; Set-Content ./migrations/1.0.11__next.up.sql 'CREATE TABLE next_one (id INTEGER);' }; Act = { Invoke-Migration -Database $database } }
            @{ Id = 'InvalidTargetVersion'; Command = 'Invoke-Migration'; Arrange = {}; Act = { Invoke-Migration -Database $database -TargetVersion 'one.two' } }
            @{ Id = 'UnknownTargetVersion'; Command = 'Undo-Migration'; Arrange = {}; Act = { Undo-Migration -Database $database -TargetVersion 9.9.9 -Force } }
            @{ Id = 'MissingDownScript'; Command = 'Undo-Migration'; Arrange = { Remove-Item ./migrations/1.0.10__create-orders.down.sql }; Act = { Undo-Migration -Database $database -All -Force } }
            @{ Id = 'InvalidMigrationFileName'; Command = 'Get-MigrationStatus'; Arrange = { Set-Content ./migrations/1.0.11_one-underscore.up.sql 'SELECT 1;' }; Act = { Get-MigrationStatus -Database $database } }
            @{ Id = 'DuplicateMigrationVersion'; Command = 'Get-MigrationStatus'; Arrange = { Set-Content ./migrations/1.0.2__again.up.sql 'SELECT 1;' }; Act = { Get-MigrationStatus -Database $database } }
            @{ Id = 'EmptyMigrationScript'; Command = 'Invoke-Migration'; Arrange = { Set-Content ./migrations/1.0.11__empty.up.sql '-- nothing' }; Act = { Invoke-Migration -Database $database } }
            @{ Id = 'UnknownEnvironment'; Command = 'Get-MigrationStatus'; Arrange = { Set-Content ./migrations.psd1 "@{ Environments = @{ dev = @{ Database = 'sqlite:./dev.db' } } }" }; Act = { Get-MigrationStatus -Environment nowhere } }
        ) {
            Invoke-Migration -Database $database | Out-Null
            & $Arrange
            $verb, $noun = $Command -split '-'
            { & $Act } | Should -Throw -ErrorId "$Id,TradingBot.Migrations.Commands.$verb$($noun)Command"
        }
    }

    Context 'a failing down script' {
        BeforeEach {
            Invoke-Migration -Database $database | Out-Null
            Set-Content -Path ./migrations/1.0.10__create-orders.down.sql -Value "DROP TABLE orders;`nDROP TABLE no_such_table;"
        }

        It 'says the migration is still applied and to run Undo-Migration again' {
            $caught = $null
            try { Undo-Migration -Database $database -Count 1 -Force -ErrorAction Stop | Out-Null } catch { $caught = $_ }

            $caught.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.UndoMigrationCommand'
            $caught.Exception.Message | Should -BeLike '*1.0.10__create-orders.down.sql at line 2*'
            $caught.ErrorDetails.RecommendedAction | Should -BeLike '*Undo-Migration again*still applied*'
            $caught.ErrorDetails.RecommendedAction | Should -Not -BeLike '*Invoke-Migration*'
            $caught.ErrorDetails.RecommendedAction | Should -Not -BeLike '*not recorded as applied*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.10).State | Should -Be 'Applied'
        }

        It 'says the same for a PowerShell migration whose Down fails' {
            Set-Content -Path ./migrations/1.0.11__scripted.ps1 -Value "@{ Up = { param(`$Migration) }; Down = { param(`$Migration) throw 'cannot go back' } }"
            Invoke-Migration -Database $database | Out-Null
            $caught = $null
            try { Undo-Migration -Database $database -Count 1 -Force -ErrorAction Stop | Out-Null } catch { $caught = $_ }

            $caught.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.UndoMigrationCommand'
            $caught.ErrorDetails.RecommendedAction | Should -BeLike '*Undo-Migration again*still applied*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.11).State | Should -Be 'Applied'
        }

        It 'a migration outside a transaction that fails is recorded Failed and points at Repair-Migration' {
            Set-Content -Path ./migrations/1.0.11__outside.up.sql -Value "-- transaction: none`nCREATE TABLE outside_one (id INTEGER);`nINSERT INTO nowhere VALUES (1);"
            $caught = $null
            try { Invoke-Migration -Database $database -ErrorAction Stop | Out-Null } catch { $caught = $_ }

            $caught.ErrorDetails.RecommendedAction | Should -BeLike '*Repair-Migration -Version 1.0.11*'
            $caught.ErrorDetails.RecommendedAction | Should -Not -BeLike '*not recorded*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.11).State | Should -Be 'Failed'
        }
    }

    Context 'pwsh -c exit codes' {
        It 'exits 0 when the migrations apply' {
            $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database '$database' | Out-Null; Get-MigrationStatus -Database '$database' | Out-Null"
            $run.ExitCode | Should -Be 0
        }

        It 'exits 1 when a migration fails, naming the file and line' {
            Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value "SELECT 1;`nINSERT INTO nowhere VALUES (1);"
            $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database '$database' | Out-Null; 'not reached'"
            $run.ExitCode | Should -Be 1
            (Remove-Ansi $run.Output) | Should -BeLike '*1.0.11__broken.up.sql at line 2*'
            $run.StdOut | Should -Not -BeLike '*not reached*'
        }

        It 'exits 1 on an unknown parameter' {
            $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database '$database' -NoSuchParameter"
            $run.ExitCode | Should -Be 1
            (Remove-Ansi $run.Output) | Should -BeLike "*parameter name 'NoSuchParameter'*"
        }

        It 'exits 1 on a bad -TargetVersion, changing nothing' {
            $run = Invoke-PwshCatching "Invoke-Migration -Database '$database' -TargetVersion 'one.two'"
            $run.Error.Id | Should -Be 'InvalidTargetVersion,TradingBot.Migrations.Commands.InvokeMigrationCommand'
            (Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database '$database' -TargetVersion 'one.two'").ExitCode | Should -Be 1
            (Get-MigrationStatus -Database $database | Where-Object State -eq Applied).Count | Should -Be 0
        }
    }

    Context 'another run holds the lock' {
        BeforeEach {
            Invoke-Migration -Database $database | Out-Null
            $holder = Start-LockHolder -Dialect $Dialect -Database $database -ProjectFolder $project
        }

        AfterEach {
            Stop-LockHolder $holder
        }

        It 'gives up after -LockTimeout with MigrationLockTimeout, and pwsh -c exits 1' {
            Set-Content -Path ./migrations/1.0.12__after.up.sql -Value 'CREATE TABLE after_the_lock (id INTEGER);'
            $started = [DateTime]::UtcNow
            { Invoke-Migration -Database $database -LockTimeout 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'MigrationLockTimeout,TradingBot.Migrations.Commands.InvokeMigrationCommand'
            ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 20

            $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database '$database' -LockTimeout 1 | Out-Null"
            $run.ExitCode | Should -Be 1
            (Remove-Ansi $run.Output) | Should -BeLike '*-LockTimeout*'
            (Get-MigrationStatus -Database $database | Where-Object Version -eq 1.0.12).State | Should -Be 'Pending'
        }
    }
}

Describe 'Confirmation without a console in the file cmdlets' {
    BeforeEach {
        $project = New-TestProject
    }

    It 'New-Migration -Confirm is refused and writes nothing' {
        $run = Invoke-PwshCatching 'New-Migration -Name more -Confirm' -WorkingDirectory $project
        $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.NewMigrationCommand'
        (Get-ChildItem (Join-Path $project 'migrations') -Filter '*more*') | Should -BeNullOrEmpty
    }

    It 'Export-MigrationReport -Confirm is refused and writes nothing' {
        $run = Invoke-PwshCatching "Get-MigrationStatus -Database 'sqlite:./status.db' | Export-MigrationReport -Format Json -Path ./report.json -Confirm" -WorkingDirectory $project
        $run.Error.Id | Should -Be 'NonInteractiveConfirmation,TradingBot.Migrations.Commands.ExportMigrationReportCommand'
        Join-Path $project 'report.json' | Should -Not -Exist
    }
}

Describe 'SQLite and -Credential' {
    It 'is refused: SQLite has no user or password' {
        $project = New-TestProject
        Push-Location $project
        try {
            $credential = [pscredential]::new('app', (ConvertTo-SecureString 'not-used' -AsPlainText -Force))
            { Get-MigrationStatus -Database 'sqlite:./dev.db' -Credential $credential } |
                Should -Throw -ErrorId 'CredentialNotSupported,TradingBot.Migrations.Commands.GetMigrationStatusCommand'
            './dev.db' | Should -Not -Exist
        }
        finally { Pop-Location }
    }
}

Describe 'Passwords on PostgreSql' {
    BeforeAll {
        $server = Get-TestPostgresSettings
        $password = $server.Password
        $credential = [pscredential]::new($server.Username, (ConvertTo-SecureString $password -AsPlainText -Force))
    }

    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $databaseName = Get-TestDatabaseName (New-TestDatabase -Dialect PostgreSql)
        $urlWithoutPassword = "postgres://$($server.Username)@$($server.Host):$($server.Port)/$databaseName"
        $urlWithPassword = "postgres://$($server.Username):$password@$($server.Host):$($server.Port)/$databaseName"
        $errorsBefore = $Error.Count
    }

    AfterEach {
        Pop-Location
    }

    It '-Credential supplies the password to a URL without one, and no output, verbose line, error or history row shows it' {
        $everything = & {
            Invoke-Migration -Database $urlWithoutPassword -Credential $credential -Verbose
            Get-MigrationStatus -Database $urlWithoutPassword -Credential $credential | Format-List * | Out-String
            Undo-Migration -Database $urlWithoutPassword -Credential $credential -Count 1 -Force -Verbose
            Get-MigrationStatus -Database $urlWithoutPassword -Credential $credential -AsPlainObject | ConvertTo-Json
        } *>&1 | Out-String
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value 'INSERT INTO nowhere VALUES (1);'
        $caught = $null
        try { Invoke-Migration -Database $urlWithoutPassword -Credential $credential -ErrorAction Stop } catch { $caught = $_ }

        (Get-MigrationStatus -Database $urlWithoutPassword -Credential $credential | Where-Object State -eq Applied).Count | Should -Be 3
        $caught.FullyQualifiedErrorId | Should -Be 'MigrationFailed,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        $everything | Should -BeLike "*$($server.Username)@*$databaseName*"
        $everything | Should -Not -BeLike "*$password*"
        ($caught | Format-List * -Force | Out-String) + ($caught | Get-Error | Out-String) | Should -Not -BeLike "*$password*"
        ($Error | Select-Object -First ($Error.Count - $errorsBefore) | Format-List * -Force | Out-String) | Should -Not -BeLike "*$password*"
        (Invoke-TestPsql 'SELECT * FROM schema_migrations' -Database $databaseName) -join "`n" | Should -Not -BeLike "*$password*"
    }

    It 'works with an Npgsql connection string without a password, and with an environment''s DatabaseUrlVariable' {
        $keywords = "Host=$($server.Host);Port=$($server.Port);Username=$($server.Username);Database=$databaseName"
        (Invoke-Migration -Database $keywords -Credential $credential -TargetVersion 1.0.1).Status | Should -Be 'Succeeded'

        Set-Content -Path ./migrations.psd1 -Value "@{ Environments = @{ qa = @{ DatabaseUrlVariable = 'TBM_ERRORS_QA_URL' } } }"
        $env:TBM_ERRORS_QA_URL = $urlWithoutPassword
        try { (Invoke-Migration -Environment qa -Credential $credential).Version.Text | Should -Be @('1.0.2', '1.0.10') }
        finally { Remove-Item Env:TBM_ERRORS_QA_URL }
    }

    It 'a wrong password in -Credential fails to connect without showing it' {
        $wrong = [pscredential]::new($server.Username, (ConvertTo-SecureString 'Wrong-Pa55word' -AsPlainText -Force))
        $caught = $null
        try { Get-MigrationStatus -Database $urlWithoutPassword -Credential $wrong -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,TradingBot.Migrations.Commands.GetMigrationStatusCommand'
        ($caught | Format-List * -Force | Out-String) | Should -Not -BeLike '*Wrong-Pa55word*'
    }

    It 'a password in the URL and -Credential together are refused before connecting' {
        $caught = $null
        try { Invoke-Migration -Database $urlWithPassword -Credential $credential -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'CredentialWithPassword,TradingBot.Migrations.Commands.InvokeMigrationCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Not -BeLike "*$password*"
        (Invoke-TestPsql "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'" -Database $databaseName) | Should -Be '0'
    }

    It 'a user in the URL other than the credential''s is refused' {
        $other = [pscredential]::new('someone_else', (ConvertTo-SecureString $password -AsPlainText -Force))
        { Get-MigrationStatus -Database $urlWithoutPassword -Credential $other } |
            Should -Throw -ErrorId 'CredentialUserMismatch,TradingBot.Migrations.Commands.GetMigrationStatusCommand'
    }

    It 'a password typed into a script''s command line: pwsh echoes that line in the error; the module''s words never hold it, and it warns' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value 'INSERT INTO nowhere VALUES (1);'
        $script = "`$ErrorActionPreference = 'Continue'`nInvoke-Migration -Url '$urlWithPassword' | Out-Null`n'line of the failed command: ' + (`$Error[0].InvocationInfo.Line -like '*$password*')"
        $run = Invoke-Pwsh -Command "$(Get-ImportLine)`n$script"
        $lines = (Remove-Ansi $run.Output) -split "`n"

        $warning = $lines | Where-Object { $_ -like 'WARNING:*' }
        $warning | Should -BeLike '*-Credential*'
        $warning | Should -Not -BeLike "*$password*"
        $lines | Should -Contain 'line of the failed command: True'
        # Every line that shows the password is pwsh's echo of the source line ("   3 | Invoke-Migration -Url ...").
        $lines | Where-Object { $_ -like "*$password*" } | ForEach-Object { $_ | Should -Match '^\s*\d+ \| ' }
        $lines | Where-Object { $_ -like '*Recommendation*' } | Should -Not -BeLike "*$password*"
        $lines | Where-Object { $_ -like '*1.0.11__broken.up.sql*' } | Should -Not -BeLike "*$password*"
    }

    It 'the warning does not stop a non-interactive run under -Debug (which turns warnings into questions)' {
        $run = Invoke-Pwsh -Command "$(Get-ImportLine); Get-MigrationStatus -Database '$urlWithPassword' -Debug -Verbose | Out-Null"

        $run.ExitCode | Should -Be 0
        (Remove-Ansi $run.Output) | Should -BeLike '*VERBOSE: The database password is written in the command line itself*'
        (Remove-Ansi $run.Output) | Should -Not -BeLike '*NonInteractive mode*'
    }

    It 'a single-line pwsh -c shows no source line, and a URL from a variable draws no warning' {
        Set-Content -Path ./migrations/1.0.11__broken.up.sql -Value 'INSERT INTO nowhere VALUES (1);'
        $run = Invoke-Pwsh -Command "$(Get-ImportLine); Invoke-Migration -Database `$env:TBM_ERRORS_URL" -Environment @{ TBM_ERRORS_URL = $urlWithPassword }

        $run.ExitCode | Should -Be 1
        (Remove-Ansi $run.Output) | Should -BeLike '*1.0.11__broken.up.sql*'
        (Remove-Ansi $run.Output) | Should -Not -BeLike "*$password*"
        (Remove-Ansi $run.Output) | Should -Not -BeLike '*WARNING:*'
    }
}
