#Requires -Version 7.4
# Test-MigrationSafety as a pwsh user meets it, on both databases: the rollback check reads what Undo-Migration would run.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
}

Describe 'Test-MigrationSafety -RollbackTo on <Dialect>' -ForEach $Dialects {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
        $database = New-TestDatabase -Dialect $Dialect
        # 1.0.3 adds a column in PowerShell; its Down drops that column and also price, which 1.0.2 added.
        Set-Content -Path ./migrations/1.0.3__add-venue.ps1 -Value @(
            '@{'
            '    Up = {'
            '        param($Migration)'
            '        $Migration.Execute(''ALTER TABLE trades ADD COLUMN venue TEXT'') | Out-Null'
            '    }'
            '    Down = {'
            '        param($Migration)'
            '        $Migration.Execute(''ALTER TABLE trades DROP COLUMN venue'') | Out-Null'
            '        $Migration.Execute(@'''
            'ALTER TABLE trades DROP COLUMN price'
            '''@) | Out-Null'
            '    }'
            '}'
        )
    }

    AfterEach {
        Pop-Location
    }

    It 'reads a PowerShell Down and finds the column it drops that its Up did not add' {
        Invoke-Migration -Database $database | Out-Null

        $assessments = Test-MigrationSafety -Database $database -RollbackTo 1.0.2

        $assessments.Version | Should -Be @('1.0.10', '1.0.3')
        $venue = $assessments | Where-Object Version -eq '1.0.3'
        $venue.Kind | Should -Be 'Lossy'
        $venue.Losses | Should -Be @('column trades.venue, which the up added, with every value written to it since', 'column trades.price')
        $venue.Findings.Rule | Should -Be @('down-drops-new-data', 'down-drops-data')
        $venue.Findings.Line | Should -Be @(8, 10)
        $venue.Findings.File | Should -BeLike '*1.0.3__add-venue.ps1'
    }

    It 'lists only the applied migrations: a pending one is never touched by the rollback' {
        Invoke-Migration -Database $database -TargetVersion 1.0.2 | Out-Null

        $assessments = Test-MigrationSafety -Database $database -RollbackTo 1.0.1

        $assessments.Version | Should -Be @('1.0.2')
        $assessments.Kind | Should -Be 'Lossy'
        $assessments.Findings.Rule | Should -Be 'down-drops-new-data'
    }

    It 'reads a Down that builds its SQL when it runs as Unknown, never as Lossless' {
        Set-Content -Path ./migrations/1.0.3__add-venue.ps1 -Value @'
@{
    Up = { param($m) $m.Execute('ALTER TABLE trades ADD COLUMN venue TEXT') | Out-Null }
    Down = {
        param($m)
        foreach ($column in 'venue', 'price') { $m.Execute("ALTER TABLE trades DROP COLUMN $column") | Out-Null }
    }
}
'@
        Invoke-Migration -Database $database | Out-Null

        $assessment = Test-MigrationSafety -Database $database -RollbackTo 1.0.2 | Where-Object Version -eq '1.0.3'

        $assessment.Kind | Should -Be 'Unknown'
        $assessment.Findings.Rule | Should -Be 'unreadable-down'
        $assessment.Findings.Line | Should -Be 5
    }
}

Describe 'Test-MigrationSafety -RollbackTo without -Database' {
    BeforeEach {
        $project = New-TestProject
        Push-Location $project
    }

    AfterEach {
        Pop-Location
    }

    It 'checks the database Undo-Migration would roll back (./dev.db), not every newer file' {
        Invoke-Migration -TargetVersion 1.0.1 | Out-Null

        $assessments = Test-MigrationSafety -RollbackTo 0

        $assessments.Version | Should -Be @('1.0.1')
        (Test-MigrationSafety -RollbackTo 1.0.1) | Should -BeNullOrEmpty
    }
}
