# Dot-sourced by build.ps1 (-Task Pwsh). The PowerShell global tool that .config/dotnet-tools.json pins ships its
# assemblies as IL only, so a fresh pwsh JIT-compiles PowerShell's own start-up, Import-Module and formatting: about
# 6,000 methods before a script's first line. This writes a copy of that pwsh with ReadyToRun code for its own
# assemblies, compiled by the same crossgen2 as the module's (build/ReadyToRun.targets), to artifacts/pwsh/<version>:
# the same PowerShell, with precompiled code that the runtime uses when it matches (.NET 10 on linux-x64) and
# ignores otherwise, and with tiered PGO off (below). Start it as `dotnet artifacts/pwsh/<version>/pwsh.dll`.

# The assemblies a pwsh command loads on its way to a script's first line and through Import-Module and formatting.
$script:PwshStartupAssemblies = @(
    'pwsh', 'System.Management.Automation', 'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Commands.Utility',
    'Microsoft.PowerShell.Commands.Management', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.SDK',
    'Microsoft.ApplicationInsights', 'Newtonsoft.Json'
)

function New-PwshReadyToRun([string] $Root) {
    if (-not $IsLinux -or [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64') {
        throw 'The ReadyToRun pwsh is built on linux-x64 only (where build/ReadyToRun.targets runs crossgen2).'
    }

    $version = (Get-Content -Raw (Join-Path $Root '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
    $targets = ([xml](Get-Content -Raw (Join-Path $Root 'build/ReadyToRun.targets'))).Project.PropertyGroup |
        Where-Object { $_.ReadyToRunRuntimeVersion } | Select-Object -First 1
    $runtimeVersion = $targets.ReadyToRunRuntimeVersion
    Invoke-Native dotnet @('tool', 'restore')
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $tool = Join-Path $packages "powershell/$version/tools/net10.0/any/unix"
    $crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.linux-x64/$runtimeVersion/tools/crossgen2"
    $framework = Join-Path $packages "microsoft.netcore.app.runtime.linux-x64/$runtimeVersion/runtimes/linux-x64/lib/net10.0"
    if (-not (Test-Path (Join-Path $tool 'pwsh.dll'))) { throw "The pinned pwsh $version is not at $tool after dotnet tool restore." }
    if (-not (Test-Path $crossgen) -or -not (Test-Path $framework)) {
        throw "crossgen2 $runtimeVersion is not in $packages yet: run ./build.ps1 -Task Build first (the module's build downloads it)."
    }

    $output = Join-Path $Root "artifacts/pwsh/$version"
    $staging = "$output.partial"
    Remove-Item -Recurse -Force -ErrorAction Ignore $staging
    Copy-Item -Recurse $tool $staging
    foreach ($name in $script:PwshStartupAssemblies) {
        # In a response file: pwsh would expand the references' wildcards itself when passing them to a native command.
        $arguments = Join-Path $staging "$name.rsp"
        Set-Content $arguments @((Join-Path $tool "$name.dll"), "-o:$(Join-Path $staging "$name.dll")", '--targetos:linux', '--targetarch:x64', '-O',
            "-r:$(Join-Path $framework '*.dll')", "-r:$(Join-Path $tool '*.dll')")
        Invoke-Native $crossgen @("@$arguments")
        Remove-Item $arguments
    }

    # Tiered PGO re-compiles hot precompiled methods with instrumentation before compiling them for good, which a process
    # that lives a few seconds never earns back: off, a fresh pwsh printing the status of 10,000 migrations took 0.16 s
    # less (README "Performance"); the pinned tool's own settings are left as they are.
    $runtimeConfigPath = Join-Path $staging 'pwsh.runtimeconfig.json'
    $runtimeConfig = Get-Content -Raw $runtimeConfigPath | ConvertFrom-Json -AsHashtable
    $runtimeConfig.runtimeOptions.configProperties['System.Runtime.TieredPGO'] = $false
    Set-Content $runtimeConfigPath ($runtimeConfig | ConvertTo-Json -Depth 10)

    # Only a complete copy replaces the last one: a failed compile leaves no half-built pwsh behind.
    Remove-Item -Recurse -Force -ErrorAction Ignore $output
    Move-Item $staging $output
    $pwsh = Join-Path $output 'pwsh.dll'
    $reported = & dotnet $pwsh -NoProfile -NonInteractive -c '$PSVersionTable.PSVersion.ToString()'
    if ($LASTEXITCODE -ne 0 -or $reported -ne $version) { throw "The ReadyToRun pwsh at $pwsh does not start (it said: $reported)." }
    Write-Host "ReadyToRun pwsh ${version}: dotnet $pwsh"
}
