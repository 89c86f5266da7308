@{
    # The module as built in this repository: `dotnet build Migrations.sln` stages the binaries in
    # artifacts/module (the cmdlets) and artifacts/module/deps (the engine, Npgsql, SQLite).
    # build.ps1 -Task Package writes a standalone, versioned copy of the module for Publish-PSResource.
    RootModule           = 'artifacts/module/TradingBot.Migrations.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'f349b55b-3dbb-496d-84a9-e7404d591cb9'
    Author               = 'TradingBot'
    CompanyName          = 'TradingBot'
    Copyright            = '(c) TradingBot. MIT licence.'
    Description          = 'Database schema migrations for PostgreSQL and SQLite from PowerShell: checksummed history, atomic migrations, rollback to any version, safe concurrent CI runs, and a linter for unsafe changes.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('module/TradingBot.Migrations.Types.ps1xml')
    FormatsToProcess     = @('module/TradingBot.Migrations.Format.ps1xml')
    CmdletsToExport      = @(
        'Export-MigrationReport'
        'Export-MigrationSchema'
        'Get-MigrationStatus'
        'Import-MigrationHistory'
        'Invoke-Migration'
        'New-Migration'
        'Repair-Migration'
        'Set-MigrationBaseline'
        'Test-MigrationDrift'
        'Test-MigrationSafety'
        'Undo-Migration'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('migrations', 'database', 'schema', 'postgresql', 'sqlite', 'ci', 'devops')
            LicenseUri   = 'https://github.com/tradingbot/TradingBot.Migrations/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/tradingbot/TradingBot.Migrations'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
