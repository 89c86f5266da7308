# .circleci/config.yml read as data, for CircleCi.Tests.ps1 and Packaging.Tests.ps1 (dot-source after Common.ps1).
# YAML is parsed with YamlDotNet, the version the xunit CircleCiConfigTests use (Directory.Packages.props), from the
# NuGet cache the solution's restore fills.

$CircleCiConfigPath = Join-Path $RepositoryRoot '.circleci/config.yml'

function Import-YamlDotNet {
    if ('YamlDotNet.Serialization.Deserializer' -as [type]) { return }
    $props = [xml](Get-Content -Raw (Join-Path $RepositoryRoot 'Directory.Packages.props'))
    $version = ($props.Project.ItemGroup.PackageVersion | Where-Object Include -eq 'YamlDotNet').Version
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $assembly = Join-Path $packages "yamldotnet/$version/lib/net8.0/YamlDotNet.dll"
    if (-not (Test-Path $assembly)) { throw "YamlDotNet $version is not in the NuGet cache ($assembly): dotnet build Migrations.sln restores it." }
    Add-Type -Path $assembly
}

# The whole file as nested dictionaries and lists.
function Get-CircleCiConfig {
    Import-YamlDotNet
    $reader = [System.IO.StringReader]::new((Get-Content -Raw $CircleCiConfigPath))
    [YamlDotNet.Serialization.Deserializer]::new().Deserialize($reader)
}

# The job's run steps in order: Name, Command, and Script, the PowerShell of a `pwsh ... -Command '...'` step (the
# same pattern the xunit tests use; the scripts use only double quotes inside).
function Get-CircleCiRunSteps([string] $Job) {
    $config = Get-CircleCiConfig
    foreach ($step in $config['jobs'][$Job]['steps']) {
        if ($step -isnot [System.Collections.IDictionary] -or -not $step.ContainsKey('run')) { continue }
        $run = $step['run']
        $command = if ($run -is [string]) { $run } else { $run['command'] }
        $name = if ($run -is [string]) { $run } else { $run['name'] }
        $script = if ($command -match "(?s)pwsh\b[^']*-Command\s+'(?<script>[^']*)'") { $Matches['script'] }
        [pscustomobject]@{ Job = $Job; Name = $name; Command = $command; Script = $script }
    }
}

function Get-CircleCiJobNames { @((Get-CircleCiConfig)['jobs'].Keys) }

# The paths a job persists to the workspace.
function Get-CircleCiPersistedPaths([string] $Job) {
    foreach ($step in (Get-CircleCiConfig)['jobs'][$Job]['steps']) {
        if ($step -is [System.Collections.IDictionary] -and $step.ContainsKey('persist_to_workspace')) {
            $step['persist_to_workspace']['paths']
        }
    }
}

# The jobs a job runs after in the workflow, directly or through others: whose workspaces it can attach.
function Get-CircleCiUpstreamJobs([string] $Job) {
    # The workflow that runs the job (the tenant fleet has a workflow of its own).
    $workflows = @((Get-CircleCiConfig)['workflows'].Values | Where-Object { $_ -is [System.Collections.IDictionary] })
    $workflow = @($workflows | Where-Object { @($_['jobs'] | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Keys } }) -contains $Job })[0]
    $requires = @{}
    foreach ($entry in $workflow['jobs']) {
        if ($entry -is [string]) { $requires[$entry] = @() }
        else { foreach ($name in $entry.Keys) { $requires[$name] = @($entry[$name]['requires']) } }
    }
    $seen = [System.Collections.Generic.List[string]]::new()
    $queue = [System.Collections.Generic.Queue[string]]::new([string[]] @($requires[$Job] | Where-Object { $_ }))
    while ($queue.Count) {
        $next = $queue.Dequeue()
        if (-not $seen.Contains($next)) { $seen.Add($next); @($requires[$next] | Where-Object { $_ }) | ForEach-Object { $queue.Enqueue($_) } }
    }
    $seen
}
