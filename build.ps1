#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages TradingBot.Migrations.
.DESCRIPTION
    Build    dotnet build Migrations.sln: afterwards Import-Module ./TradingBot.Migrations.psd1 works.
    Test     dotnet test Migrations.sln, then the Pester suite in tests/pester when Pester 5 is installed.
    Package  a versioned module folder, out/TradingBot.Migrations/<version>, ready for Publish-Module.
    Clean    removes bin, obj, artifacts and out.
.EXAMPLE
    ./build.ps1
    Builds and runs every test.
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
    Writes out/TradingBot.Migrations/<version>; then: Publish-Module -Path out/TradingBot.Migrations/<version> -NuGetApiKey ...
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'Migrations.sln'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
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
            Invoke-Native dotnet @('test', $solution, '-c', $Configuration)
            if (Get-Module -ListAvailable -Name Pester | Where-Object Version -ge '5.0.0') {
                $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -PassThru -Output Detailed
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
            }
            else {
                Write-Warning 'Pester 5 is not installed; skipping tests/pester (Install-Module Pester -MinimumVersion 5.0.0).'
            }
        }
        'Package' {
            Invoke-Native dotnet @('build', $solution, '-c', $Configuration)
            $manifest = Import-PowerShellDataFile (Join-Path $root 'TradingBot.Migrations.psd1')
            $target = Join-Path $root "out/TradingBot.Migrations/$($manifest.ModuleVersion)"
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $target
            New-Item -ItemType Directory -Path $target | Out-Null
            Copy-Item -Recurse -Path (Join-Path $root 'artifacts/module/*') -Destination $target
            Copy-Item -Recurse -Path (Join-Path $root 'module/*') -Destination $target
            # The repository manifest points into artifacts/ and module/; the package keeps everything side by side.
            (Get-Content -Raw (Join-Path $root 'TradingBot.Migrations.psd1')).
                Replace("'artifacts/module/", "'").
                Replace("'module/", "'") |
                Set-Content -NoNewline -Path (Join-Path $target 'TradingBot.Migrations.psd1')
            Test-ModuleManifest -Path (Join-Path $target 'TradingBot.Migrations.psd1') | Out-Null
            Write-Output (Get-Item $target)
        }
    }
}
