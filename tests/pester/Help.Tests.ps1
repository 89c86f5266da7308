#Requires -Version 7.4
# What Get-Help and Get-Command show a pwsh user, for every cmdlet the manifest exports, and the about_ topic.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
    $Cmdlets = (Import-PowerShellDataFile $ManifestPath).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The SYNTAX section as Get-Help -Full renders it, one line per parameter set (wide enough not to wrap).
    function Get-HelpSyntaxLines([string] $Name) {
        $text = Get-Help $Name -Full | Out-String -Width 2000
        $section = [regex]::Match($text, '(?ms)^SYNTAX\s*$(.*?)^DESCRIPTION\s*$').Groups[1].Value
        @($section -split '\r?\n' | ForEach-Object Trim | Where-Object { $_ -like "$Name *" })
    }

    # A section of Get-Help -Full's text (INPUTS, OUTPUTS), whitespace folded.
    function Get-HelpSection([string] $Name, [string] $Section, [string] $Next) {
        $text = Get-Help $Name -Full | Out-String -Width 2000
        ([regex]::Match($text, "(?ms)^$Section\s*`$(.*?)^$Next\s*`$").Groups[1].Value -replace '\s+', ' ').Trim()
    }

    function Get-TopicText { (Get-Help about_TradingBot.Migrations | Out-String -Width 2000) -replace '\s+', ' ' }
}

Describe 'Get-Help <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        # A DontShow parameter only binds pipeline rows (PipedTarget: a status row's Target); pwsh hides it from users.
        $hidden = @($command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow } } | ForEach-Object Name)
        $ownParameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $CommonParameters -and $_.Name -notin $hidden })
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help, pwsh makes the synopsis from the syntax.
        $help.Synopsis | Should -Not -BeLike "$Name *"
        ($help.description.Text -join ' ') | Should -Match '\w{4,}'
    }

    It 'has examples with code and an explanation' {
        $examples = @((Get-Help $Name -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            $example.code | Should -BeLike "*-*"
            ($example.remarks.Text -join ' ') | Should -Match '\w{4,}'
        }
    }

    It 'documents every parameter, -WhatIf and -Confirm included where supported' {
        $names = @($ownParameters.Name) + @('WhatIf', 'Confirm' | Where-Object { $command.Parameters.ContainsKey($_) })
        foreach ($parameter in $names) {
            $parameterHelp = Get-Help $Name -Parameter $parameter -ErrorAction Stop
            $parameterHelp.name | Should -Be $parameter
            ($parameterHelp.description.Text -join ' ') | Should -Match '\w{3,}' -Because "-$parameter needs a description"
        }
    }

    It 'shows one SYNTAX line per parameter set, with the parameters Get-Command knows' {
        $lines = Get-HelpSyntaxLines $Name
        $lines.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $own = @($set.Parameters.Name | Where-Object { ($_ -notin $CommonParameters -or $_ -in 'WhatIf', 'Confirm') -and $_ -notin $hidden })
            $matching = @($lines | Where-Object { $line = $_; -not ($own | Where-Object { $line -notmatch "-$_\b" }) })
            $matching.Count | Should -BeGreaterOrEqual 1 -Because "a SYNTAX line should hold every parameter of the set $($set.Name): $($own -join ', ')"
        }
    }

    It 'shows switches without a value in SYNTAX' {
        $switches = @($ownParameters | Where-Object SwitchParameter | ForEach-Object Name) + @('WhatIf', 'Confirm' | Where-Object { $command.Parameters.ContainsKey($_) })
        $syntax = (Get-HelpSyntaxLines $Name) -join "`n"
        $syntax | Should -Not -Match '<SwitchParameter>'
        foreach ($switch in $switches) {
            $syntax | Should -Match "-$switch(\]|\s)" -Because "-$switch is a switch"
        }
    }

    It 'shows -WhatIf and -Confirm in every SYNTAX line when the cmdlet supports ShouldProcess' {
        $supports = $command.Parameters.ContainsKey('WhatIf')
        foreach ($line in Get-HelpSyntaxLines $Name) {
            if ($supports) {
                $line | Should -BeLike '*`[-WhatIf`] `[-Confirm`]*'
            }
            else {
                $line | Should -Not -BeLike '*-WhatIf*'
            }
        }
    }

    It 'lists under INPUTS the type of each parameter that takes pipeline input, and how it binds' {
        $piped = @($command.Parameters.Values | Where-Object { $_.Name -notin $hidden -and ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }) })
        $inputs = Get-HelpSection $Name 'INPUTS' 'OUTPUTS'
        if ($piped.Count -eq 0) {
            $inputs | Should -Match '^None\b'
        }
        foreach ($parameter in $piped) {
            $inputs | Should -BeLike "*$([WildcardPattern]::Escape($parameter.ParameterType.FullName))*"
            $attribute = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
            if ($attribute.ValueFromPipelineByPropertyName) { $inputs | Should -BeLike "*-$($parameter.Name)*by property name*" }
            if ($attribute.ValueFromPipeline) { $inputs | Should -BeLike "*-$($parameter.Name)*by value*" }
        }
    }

    It 'lists under OUTPUTS every type it declares, each with a description' {
        $outputs = @((Get-Help $Name -Full).returnValues.returnValue)
        $declared = @($command.OutputType.Type | ForEach-Object FullName)
        $declared.Count | Should -BeGreaterOrEqual 1
        @($outputs.type.name) | Should -Be $declared
        foreach ($output in $outputs) {
            ($output.description.Text -join ' ') | Should -Match '\w{4,}' -Because "the output $($output.type.name) needs a description"
        }
    }

    It 'has a Get-Command -Syntax line per parameter set with switches shown bare' {
        $syntax = Get-Command $Name -Syntax
        @($syntax -split '\r?\n' | Where-Object { $_ -like "$Name *" }).Count | Should -Be $command.ParameterSets.Count
        foreach ($switch in ($ownParameters | Where-Object SwitchParameter)) {
            $syntax | Should -Match "-$($switch.Name)(\]|\s)"
        }
    }
}

Describe 'What the help says about piped objects' {
    It 'says Undo-Migration binds -Version by property name from status objects' {
        $inputs = Get-HelpSection 'Undo-Migration' 'INPUTS' 'OUTPUTS'
        $inputs | Should -BeLike '*System.String`[`]*-Version*by property name*MigrationStatus*'
    }

    It 'says Export-MigrationReport takes the objects themselves by value' {
        Get-HelpSection 'Export-MigrationReport' 'INPUTS' 'OUTPUTS' | Should -BeLike '*-InputObject*by value*'
    }
}

Describe 'about_TradingBot.Migrations' {
    It 'is found by name' {
        $topic = Get-Help about_TradingBot.Migrations
        $topic.Category | Should -Be 'HelpFile'
        $topic.Name | Should -Be 'about_TradingBot.Migrations'
    }

    It 'names every cmdlet the manifest exports' {
        $text = Get-TopicText
        foreach ($cmdlet in (Import-PowerShellDataFile $ManifestPath).CmdletsToExport) {
            $text | Should -BeLike "*$cmdlet*"
        }
    }

    It 'states the target precedence the cmdlets follow' {
        Get-TopicText | Should -Match '-Database, then -Environment, then \$env:DATABASE_URL, then (the file''s )?DefaultEnvironment, then \./dev\.db'
    }

    It 'says what makes pwsh -c exit non-zero' {
        $text = Get-TopicText
        $text | Should -BeLike "*`$ErrorActionPreference = 'Stop'*"
        $text | Should -Not -Match 'Under pwsh -c a failed run exits non-zero'
    }
}

Describe 'What the about topic says of pwsh -c, on <Dialect>' -ForEach $Dialects {
    BeforeAll {
        $project = New-TestProject
        Set-Content -Path (Join-Path $project 'migrations/1.0.11__broken.up.sql') -Value 'INSERT INTO nowhere VALUES (1);'
        $database = New-TestDatabase -Dialect $Dialect
        $import = "Import-Module '$ManifestPath'"
    }

    It 'exits 0 when the failing cmdlet is not the last statement' {
        $run = Invoke-Pwsh -WorkingDirectory $project -Command "$import; Invoke-Migration -Database '$database'; 'after'"
        $run.Output | Should -BeLike '*1.0.11__broken.up.sql*'
        $run.StdOut | Should -BeLike '*after*'
        $run.ExitCode | Should -Be 0
    }

    It 'exits 0 from a script file when the failing cmdlet is not the last statement' {
        Set-Content -Path (Join-Path $project 'step.ps1') -Value "$import`nInvoke-Migration -Database '$database'`n'after'"
        $run = Invoke-Pwsh -WorkingDirectory $project -Command 'exit 0' -ExtraArguments @('-File', './step.ps1')
        $run.StdOut | Should -BeLike '*after*'
        $run.ExitCode | Should -Be 0
    }

    It "exits 1 from a script file at the first error under `$ErrorActionPreference = 'Stop'" {
        Set-Content -Path (Join-Path $project 'stop.ps1') -Value "`$ErrorActionPreference = 'Stop'`n$import`nInvoke-Migration -Database '$database'`n'after'"
        $run = Invoke-Pwsh -WorkingDirectory $project -Command 'exit 0' -ExtraArguments @('-File', './stop.ps1')
        $run.StdOut | Should -Not -BeLike '*after*'
        $run.ExitCode | Should -Be 1
    }

    It "exits 1 at the first error under `$ErrorActionPreference = 'Stop'" {
        $run = Invoke-Pwsh -WorkingDirectory $project -Command "`$ErrorActionPreference = 'Stop'; $import; Invoke-Migration -Database '$database'; 'after'"
        $run.Output | Should -BeLike '*1.0.11__broken.up.sql*'
        $run.StdOut | Should -Not -BeLike '*after*'
        $run.ExitCode | Should -Be 1
    }
}
