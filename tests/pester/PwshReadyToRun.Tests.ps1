#Requires -Version 7.4
# `./build.ps1 -Task Pwsh`: the pinned pwsh with ReadyToRun code for its own assemblies (README "Performance"). A copy
# that still JIT-compiled PowerShell's start-up (crossgen2 writing IL, or the runtime refusing the images) would start
# and work exactly as well, so the test counts the methods a fresh process JIT-compiles, against the pinned tool.

BeforeDiscovery {
    $IsLinuxX64 = $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64'
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $version = (Get-Content -Raw (Join-Path $RepositoryRoot '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
    $precompiled = Join-Path $RepositoryRoot "artifacts/pwsh/$version/pwsh.dll"
    $build = Invoke-Pwsh -Command "& '$(Join-Path $RepositoryRoot 'build.ps1')' -Task Pwsh" -WorkingDirectory $RepositoryRoot

    # Imports the module and applies a migration to a new SQLite file; prints how many methods the process JIT-compiled.
    function Invoke-Probe([string[]] $Pwsh) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory (Join-Path $folder 'migrations') | Out-Null
        Set-Content (Join-Path $folder 'migrations/1.0.1__trades.up.sql') 'CREATE TABLE trades (id integer PRIMARY KEY);'
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$ManifestPath'; " +
            "`$result = Invoke-Migration -Database 'sqlite:$folder/app.db' -Path '$folder/migrations'; " +
            "'{0} {1} {2}' -f `$result.Status, `$PSVersionTable.PSVersion, [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)"
        $run = Invoke-Pwsh -Command $script -PwshCommandLine $Pwsh
        [pscustomobject]@{ ExitCode = $run.ExitCode; Lines = @($run.StdOut -split "`n" | Where-Object { $_.Trim() }); Output = $run.Output }
    }
}

Describe 'build.ps1 -Task Pwsh' -Skip:(-not $IsLinuxX64) {
    It 'writes artifacts/pwsh/<version>/pwsh.dll, which runs the module' {
        $build.ExitCode | Should -Be 0 -Because $build.Output
        $precompiled | Should -Exist
        $probe = Invoke-Probe @('dotnet', $precompiled)
        $probe.ExitCode | Should -Be 0 -Because $probe.Output
        ($probe.Lines[-1] -split ' ')[0..1] | Should -Be @('Succeeded', $version)
    }

    It 'JIT-compiles far fewer methods than the pinned tool for the same work' {
        $pinned = Invoke-Probe (Get-PwshCommandLine)
        $readyToRun = Invoke-Probe @('dotnet', $precompiled)
        $pinned.ExitCode | Should -Be 0 -Because $pinned.Output
        $readyToRun.ExitCode | Should -Be 0 -Because $readyToRun.Output
        $pinnedMethods = [int]($pinned.Lines[-1] -split ' ')[2]
        $readyToRunMethods = [int]($readyToRun.Lines[-1] -split ' ')[2]
        # Here: 8,479 against 617 (generics over other assemblies' types and dynamic methods stay JIT-compiled).
        $readyToRunMethods | Should -BeLessThan ($pinnedMethods / 2) -Because "the pinned pwsh JIT-compiled $pinnedMethods methods"
    }

    It 'runs with tiered PGO off, leaving the pinned tool as it is' {
        $setting = '[System.AppContext]::GetData(''System.Runtime.TieredPGO'')'
        $copy = Invoke-Pwsh -Command $setting -PwshCommandLine @('dotnet', $precompiled)
        $pinned = Invoke-Pwsh -Command $setting -PwshCommandLine (Get-PwshCommandLine)
        $copy.StdOut.Trim() | Should -Be 'False' -Because $copy.Output
        $pinned.StdOut.Trim() | Should -BeNullOrEmpty -Because $pinned.Output
    }

    It 'replaces an earlier copy and leaves no partial one behind' {
        $again = Invoke-Pwsh -Command "& '$(Join-Path $RepositoryRoot 'build.ps1')' -Task Pwsh" -WorkingDirectory $RepositoryRoot
        $again.ExitCode | Should -Be 0 -Because $again.Output
        "$(Split-Path $precompiled).partial" | Should -Not -Exist
        $precompiled | Should -Exist
    }
}
