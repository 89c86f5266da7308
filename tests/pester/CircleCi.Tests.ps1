#Requires -Version 7.4
# .circleci/config.yml in real pwsh: every PowerShell step parses and stops on the first error, names only cmdlets the
# module exports, and runs in the pinned pwsh with the tool manifest at hand. (Packaging.Tests.ps1 runs the package
# and migrate jobs' steps on the workspace the test job persists.)

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/CircleCi.ps1
    $Steps = foreach ($job in Get-CircleCiJobNames) {
        Get-CircleCiRunSteps $job | Where-Object Script | ForEach-Object { @{ Job = $_.Job; Step = $_.Name; Script = $_.Script } }
    }
    $PwshJobs = foreach ($job in Get-CircleCiJobNames) {
        if (Get-CircleCiRunSteps $job | Where-Object Script) { @{ Job = $job } }
    }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/CircleCi.ps1
    $config = Get-CircleCiConfig
    $exported = (Import-PowerShellDataFile $ManifestPath).CmdletsToExport
}

Describe 'The PowerShell steps of .circleci/config.yml' {
    It 'are at least the package and the three migrate steps of each environment' {
        $scripts = foreach ($job in Get-CircleCiJobNames) { Get-CircleCiRunSteps $job | Where-Object Script }
        @($scripts).Count | Should -BeGreaterOrEqual 10
        @($scripts | Where-Object Job -eq 'migrate-prod').Count | Should -Be 4
    }

    It '<Job>: "<Step>" parses and starts with $ErrorActionPreference = "Stop"' -ForEach $Steps {
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $ast.EndBlock.Statements[0].Extent.Text | Should -Be '$ErrorActionPreference = "Stop"'
    }

    It '<Job>: "<Step>" names only cmdlets of this module that its manifest exports' -ForEach $Steps {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref] $null, [ref] $null)
        $names = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -match '^[A-Za-z]+-Migration\w*$' }
        foreach ($name in $names) { $exported | Should -Contain $name -Because "$Job names $name" }
    }
}

Describe 'The jobs of .circleci/config.yml' {
    It 'run every PowerShell step in the pinned pwsh (dotnet pwsh), and install no module from the gallery' {
        $commands = foreach ($job in Get-CircleCiJobNames) { (Get-CircleCiRunSteps $job).Command }
        $commands | Where-Object { $_ -match '\bpwsh\b' -and $_ -notmatch '^\s*dotnet pwsh ' } | Should -BeNullOrEmpty
        $commands | Where-Object { $_ -match 'Install-Module|Install-PSResource\s+(-Name\s+)?Pester' } | Should -BeNullOrEmpty
    }

    It '<Job> runs in the .NET SDK 10 image and restores the tool manifest it checks out or attaches, before pwsh' -ForEach $PwshJobs {
        $definition = $config['jobs'][$Job]
        $config['executors'][$definition['executor']]['docker'][0]['image'] | Should -Be 'mcr.microsoft.com/dotnet/sdk:10.0'
        $steps = @(Get-CircleCiRunSteps $Job)
        $firstPwsh = [array]::IndexOf($steps, ($steps | Where-Object Script | Select-Object -First 1))
        $restore = [array]::IndexOf($steps, ($steps | Where-Object Command -eq 'dotnet tool restore' | Select-Object -First 1))
        $restore | Should -BeGreaterOrEqual 0
        $restore | Should -BeLessThan $firstPwsh
        $checksOut = $definition['steps'] -contains 'checkout'
        $attached = foreach ($upstream in Get-CircleCiUpstreamJobs $Job) { Get-CircleCiPersistedPaths $upstream }
        ($checksOut -or $attached -contains '.config/dotnet-tools.json') | Should -BeTrue -Because "$Job runs dotnet pwsh"
    }

    It '<Job> gets from the workspace the package to install and the project it migrates' -ForEach @(
        @{ Job = 'migrate-qa' }, @{ Job = 'migrate-prod' }, @{ Job = 'package' }) {
        $attached = foreach ($upstream in Get-CircleCiUpstreamJobs $Job) { Get-CircleCiPersistedPaths $upstream }
        $needs = if ($Job -eq 'package') { 'out/TradingBot.Migrations' } else { 'packages' }
        $attached | Should -Contain $needs
        $attached | Should -Contain 'migrations'
        $attached | Should -Contain 'migrations.psd1'
    }

    It '<Job> imports the module by name, after installing it from the pipeline''s package' -ForEach @(
        @{ Job = 'migrate-qa' }, @{ Job = 'migrate-prod' }) {
        $scripts = @((Get-CircleCiRunSteps $Job | Where-Object Script).Script)
        $scripts[0] | Should -Match 'Install-PSResource -Name TradingBot.Migrations -Repository pipeline'
        $scripts[1..3] | ForEach-Object { $_ | Should -Match '(?m)^\s*Import-Module TradingBot\.Migrations\s*$' }
    }
}
