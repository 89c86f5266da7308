#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages TradingBot.Migrations.
.DESCRIPTION
    Build    dotnet build Migrations.sln: afterwards Import-Module ./TradingBot.Migrations.psd1 works.
    Test     every test: xunit (dotnet test Migrations.sln), then the Pester acceptance suite (tests/pester) in this
             pwsh, both against SQLite and PostgreSQL. Starts a throwaway PostgreSQL server on 127.0.0.1 unless
             TBM_TEST_POSTGRES names one. Fails when either suite has a failure, or Pester skipped anything.
    Package  a versioned module folder, out/TradingBot.Migrations/<version>, ready for Publish-PSResource: the module
             with its help, the native SQLite for every platform and LICENSE, no .pdb; its manifest's FileList names
             every file. Replaces an earlier package of the same version.
    Pwsh     a copy of the pinned pwsh with ReadyToRun code for its own assemblies (the global tool ships IL only), in
             artifacts/pwsh/<version>: start it as dotnet artifacts/pwsh/<version>/pwsh.dll. linux-x64, after Build.
    Clean    removes bin, obj, artifacts and out.
    Run it in the pinned pwsh (.config/dotnet-tools.json): dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1
    Builds the module.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -TestResultsPath test-results
    Runs every test and writes JUnit XML for CircleCI's test tab to test-results/xunit and test-results/pester.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Package
    Writes out/TradingBot.Migrations/<version>; then: Publish-PSResource -Path out/TradingBot.Migrations/<version> -Repository <name>
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Pwsh', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # A folder for JUnit XML results of both suites (Test only).
    [string] $TestResultsPath
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'Migrations.sln'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# The acceptance suite in this pwsh, on the Pester that the build staged (build/Pester.targets pins it).
# Returns what failed, as text; nothing when every test passed and none was skipped.
function Invoke-PesterSuite {
    $pesterVersion = ([xml](Get-Content -Raw (Join-Path $root 'build/Pester.targets'))).Project.PropertyGroup.PesterVersion
    $pesterManifest = Join-Path $root "artifacts/pester/$pesterVersion/Pester/Pester.psd1"
    if (-not (Test-Path $pesterManifest)) { return "Pester $pesterVersion is not staged at $pesterManifest (dotnet build Migrations.sln stages it)" }
    Import-Module $pesterManifest -Force
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $root 'tests/pester'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    if ($TestResultsPath) {
        $configuration.TestResult.Enabled = $true
        $configuration.TestResult.OutputFormat = 'JUnitXml'
        $configuration.TestResult.OutputPath = Join-Path ([System.IO.Path]::GetFullPath($TestResultsPath)) 'pester/results.xml'
    }
    $result = Invoke-Pester -Configuration $configuration
    if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0) {
        "Pester failed ($($result.FailedCount) failed, $($result.FailedBlocksCount) failed blocks, $($result.FailedContainersCount) failed files)"
    }
    elseif ($result.SkippedCount -gt 0) {
        "Pester skipped $($result.SkippedCount) test(s); the test command runs every one"
    }
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Get-ChildItem -Path $root -Include bin, obj -Directory -Recurse | Remove-Item -Recurse -Force
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'artifacts'), (Join-Path $root 'out')
        }
        'Build' {
            Invoke-Native dotnet @('build', $solution, '-c', $Configuration)
        }
        'Test' {
            $server = $null
            if (-not $env:TBM_TEST_POSTGRES) {
                . (Join-Path $root 'build/TestPostgres.ps1')
                $server = Start-TestPostgres
                $env:TBM_TEST_POSTGRES = $server.ConnectionString
                Write-Host "Started a throwaway PostgreSQL on 127.0.0.1:$($server.Port) ($($server.Bin))."
            }
            try {
                $failures = @()
                $xunit = @('test', $solution, '-c', $Configuration)
                if ($TestResultsPath) {
                    $xunitResults = Join-Path ([System.IO.Path]::GetFullPath($TestResultsPath)) 'xunit/{assembly}.xml'
                    $xunit += @('--logger', "junit;LogFilePath=$xunitResults;MethodFormat=Class;FailureBodyFormat=Verbose")
                }
                & dotnet @xunit
                if ($LASTEXITCODE -ne 0) { $failures += "xunit failed (dotnet test exited with $LASTEXITCODE)" }
                $failures += Invoke-PesterSuite
                if ($failures) { throw ($failures -join '; ') }
            }
            finally {
                if ($server) {
                    Stop-TestPostgres $server
                    Remove-Item Env:TBM_TEST_POSTGRES
                }
            }
        }
        'Pwsh' {
            . (Join-Path $root 'build/PwshReadyToRun.ps1')
            New-PwshReadyToRun $root
        }
        'Package' {
            # The module's projects only: HelpGenerator builds the cmdlets and the engine, stages them and writes the help.
            Invoke-Native dotnet @('build', (Join-Path $root 'src/HelpGenerator/HelpGenerator.csproj'), '-c', $Configuration)
            . (Join-Path $root 'build/ModulePackage.ps1')
            New-ModulePackage $root
        }
    }
}
