#Requires -Version 7.4
# The package as users get it: `./build.ps1 -Task Package` writes out/TradingBot.Migrations/<version>; it is
# published to a local PSResourceGet repository, installed by name, and imported by name in a new pwsh that migrates
# both databases. The build runs once here (twice, to prove a second run works), so this file takes a few minutes.

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $Dialects = Get-TestDialects
    # The platforms users run pwsh on, with the file name of the native SQLite there.
    $Platforms = @(
        @{ Rid = 'linux-x64'; Native = 'libe_sqlite3.so' }
        @{ Rid = 'linux-arm64'; Native = 'libe_sqlite3.so' }
        @{ Rid = 'osx-x64'; Native = 'libe_sqlite3.dylib' }
        @{ Rid = 'osx-arm64'; Native = 'libe_sqlite3.dylib' }
        @{ Rid = 'win-x64'; Native = 'e_sqlite3.dll' }
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $version = (Import-PowerShellDataFile $ManifestPath).ModuleVersion
    $packagePath = Join-Path $RepositoryRoot "out/TradingBot.Migrations/$version"
    $build = "& '$(Join-Path $RepositoryRoot 'build.ps1')' -Task Package"
    $firstBuild = Invoke-Pwsh -Command $build -WorkingDirectory $RepositoryRoot
    $secondBuild = Invoke-Pwsh -Command $build -WorkingDirectory $RepositoryRoot
    $packageFiles = @(Get-ChildItem -Recurse -File -Path $packagePath -ErrorAction SilentlyContinue |
            ForEach-Object { [System.IO.Path]::GetRelativePath($packagePath, $_.FullName).Replace('\', '/') })
    $packagedManifestPath = Join-Path $packagePath 'TradingBot.Migrations.psd1'
    $packagedManifest = if (Test-Path $packagedManifestPath) { Import-PowerShellDataFile $packagedManifestPath } else { @{} }
    $fileList = @($packagedManifest.FileList | Where-Object { $_ } | ForEach-Object { $_.Replace('\', '/') })
}

Describe 'build.ps1 -Task Package' {
    It 'succeeds, and succeeds again over its own output' {
        $firstBuild.ExitCode | Should -Be 0 -Because $firstBuild.Output
        $secondBuild.ExitCode | Should -Be 0 -Because $secondBuild.Output
    }

    It 'writes out/TradingBot.Migrations/<version> with a manifest that Test-ModuleManifest accepts' {
        $packagedManifestPath | Should -Exist
        $module = Test-ModuleManifest -Path $packagedManifestPath -ErrorAction Stop
        $module.Version | Should -Be ([version]$version)
        $packagedManifest.RootModule | Should -Be 'TradingBot.Migrations.dll'
        $module.ExportedCmdlets.Keys | Should -Be (Import-PowerShellDataFile $ManifestPath).CmdletsToExport
    }

    It 'names every file it carries in the manifest''s FileList, and only those' {
        $fileList.Count | Should -BeGreaterThan 10
        ($fileList | Sort-Object) | Should -Be ($packageFiles | Sort-Object)
    }

    It 'carries the native e_sqlite3 for <Rid>, where the engine''s deps.json looks for it' -ForEach $Platforms {
        $fileList | Should -Contain "deps/runtimes/$Rid/native/$Native"
        $deps = Get-Content -Raw (Join-Path $packagePath 'deps/TradingBot.Migrations.Engine.deps.json') | ConvertFrom-Json -AsHashtable
        $nativeAssets = $deps.targets.Values.Values | Where-Object { $_.runtimeTargets } | ForEach-Object { $_.runtimeTargets.GetEnumerator() }
        ($nativeAssets | Where-Object Key -eq "runtimes/$Rid/native/$Native").Value.rid | Should -Be $Rid
    }

    It 'carries only native files a process can load (ELF, Mach-O or PE): no static archives' {
        $natives = @($packageFiles | Where-Object { $_ -like 'deps/runtimes/*' })
        $natives.Count | Should -BeGreaterOrEqual 5
        $notLoadable = foreach ($file in $natives) {
            $head = [byte[]]::new(4)
            $stream = [System.IO.File]::OpenRead((Join-Path $packagePath $file))
            try { $null = $stream.Read($head, 0, 4) } finally { $stream.Dispose() }
            $magic = [System.BitConverter]::ToString($head)
            $loadable = $magic -eq '7F-45-4C-46' -or $magic -in 'CF-FA-ED-FE', 'CE-FA-ED-FE', 'CA-FE-BA-BE' -or $magic.StartsWith('4D-5A')
            if (-not $loadable) { "$file ($magic)" }
        }
        $notLoadable | Should -BeNullOrEmpty
    }

    It 'carries the MIT LICENSE of TradingBot that the manifest points at' {
        $fileList | Should -Contain 'LICENSE'
        $license = Get-Content -Raw (Join-Path $packagePath 'LICENSE')
        $license | Should -Be (Get-Content -Raw (Join-Path $RepositoryRoot 'LICENSE'))
        $license | Should -Match '\AMIT License\s+Copyright \(c\) TradingBot\s'
        $packagedManifest.Copyright | Should -Match 'TradingBot.*MIT'
        $packagedManifest.PrivateData.PSData.LicenseUri | Should -Match '/LICENSE$'
    }

    It 'carries no .pdb files' {
        $packageFiles | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
    }

    It 'carries the cmdlet help and the about_ topic' {
        $fileList | Should -Contain 'en-US/TradingBot.Migrations.dll-Help.xml'
        $fileList | Should -Contain 'en-US/about_TradingBot.Migrations.help.txt'
    }
}

Describe 'The package installed by name from a local PSResourceGet repository' {
    BeforeAll {
        # PSResourceGet keeps its repository list under the user's data folder, and installs -Scope CurrentUser modules
        # under the home folder: a fresh home here (HOME, XDG_DATA_HOME, and LOCALAPPDATA for Windows' list), so the
        # user's own repositories and modules are neither used nor changed.
        $sandbox = Join-Path $TestDrive 'home'
        $repository = Join-Path $TestDrive 'repository'
        # .NET gives no data folder at all (and PSResourceGet then writes beside the working folder) unless it exists.
        New-Item -ItemType Directory -Path "$sandbox/.local/share", "$sandbox/.config", $repository | Out-Null
        $userEnvironment = @{ HOME = $sandbox; XDG_DATA_HOME = "$sandbox/.local/share"; LOCALAPPDATA = "$sandbox/.local/share" }
        $userRepositoryList = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        $userRepositoryListBefore = Get-Content -Raw $userRepositoryList -ErrorAction SilentlyContinue
        $install = Invoke-Pwsh -Environment $userEnvironment -WorkingDirectory $sandbox -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name TbmLocal -Uri '$repository' -Trusted
Publish-PSResource -Path '$packagePath' -Repository TbmLocal
Install-PSResource -Name TradingBot.Migrations -Repository TbmLocal -Scope CurrentUser
(Get-InstalledPSResource -Name TradingBot.Migrations -Scope CurrentUser).InstalledLocation
"@
        $installedLocation = ($install.StdOut -split '\r?\n' | Where-Object { $_ } | Select-Object -Last 1)
    }

    It 'publishes the package to the repository and installs it into a fresh module folder' {
        $install.ExitCode | Should -Be 0 -Because $install.Output
        Join-Path $repository "TradingBot.Migrations.$version.nupkg" | Should -Exist
        $installedLocation | Should -BeLike "$sandbox*"
        Join-Path $installedLocation "TradingBot.Migrations/$version/TradingBot.Migrations.psd1" | Should -Exist
    }

    It 'leaves the user''s own repository list alone' {
        Get-Content -Raw $userRepositoryList -ErrorAction SilentlyContinue | Should -Be $userRepositoryListBefore
        Join-Path $sandbox '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -FileContentMatch 'TbmLocal'
    }

    Context 'on <Dialect>' -ForEach $Dialects {
        It 'is imported by name in a new pwsh, which migrates a <Dialect> database' {
            $project = New-TestProject
            $environment = $userEnvironment + @{ PSModulePath = $installedLocation; TBM_PACKAGE_TEST_DATABASE = (New-TestDatabase -Dialect $Dialect) }
            $run = Invoke-Pwsh -Environment $environment -WorkingDirectory $project -Command @'
$ErrorActionPreference = 'Stop'
Import-Module TradingBot.Migrations
$applied = Invoke-Migration -Database $env:TBM_PACKAGE_TEST_DATABASE
$status = Get-MigrationStatus -Database $env:TBM_PACKAGE_TEST_DATABASE
[pscustomobject]@{
    ModuleBase = (Get-Module TradingBot.Migrations).ModuleBase
    Applied    = @($applied | ForEach-Object { "$($_.Version.Text) $($_.Status)" })
    Status     = @($status | ForEach-Object { "$($_.Version.Text) $($_.State)" })
} | ConvertTo-Json -Compress
'@
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $result = $run.StdOut -split '\r?\n' | Where-Object { $_ -like '{*' } | Select-Object -Last 1 | ConvertFrom-Json
            $result.ModuleBase | Should -Be (Join-Path $installedLocation "TradingBot.Migrations/$version")
            $result.Applied | Should -Be @('1.0.1 Succeeded', '1.0.2 Succeeded', '1.0.10 Succeeded')
            $result.Status | Should -Be @('1.0.1 Applied', '1.0.2 Applied', '1.0.10 Applied')
        }
    }
}

Describe 'The CircleCI package and migrate jobs, on the workspace the test job persists' {
    BeforeAll {
        . $PSScriptRoot/CircleCi.ps1

        # Copies what a job persists (paths relative to $From) into a workspace folder, as attach_workspace restores it.
        function Copy-Workspace([string] $From, [string] $To, [string[]] $Paths) {
            foreach ($path in $Paths) {
                $destination = Join-Path $To $path
                New-Item -ItemType Directory -Force -Path (Split-Path $destination) | Out-Null
                Copy-Item -Recurse -Path (Join-Path $From $path) -Destination $destination
            }
        }

        # Runs a job's PowerShell steps in order, as CircleCI does in a fresh container (an empty home, no module
        # path of ours), until one fails. `dotnet tool restore` is left out: the pinned pwsh is already here.
        function Invoke-CircleCiJob([string] $Job, [string] $Workspace, [hashtable] $Environment = @{}) {
            $jobHome = Join-Path $TestDrive "home-$Job-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            New-Item -ItemType Directory -Path $jobHome | Out-Null
            $containerEnvironment = $Environment + @{ HOME = $jobHome; XDG_DATA_HOME = ''; XDG_CONFIG_HOME = ''; LOCALAPPDATA = ''; PSModulePath = '' }
            foreach ($step in Get-CircleCiRunSteps $Job | Where-Object Script) {
                $run = Invoke-Pwsh -Command $step.Script -WorkingDirectory $Workspace -Environment $containerEnvironment
                [pscustomobject]@{ Step = $step.Name; ExitCode = $run.ExitCode; Output = $run.Output }
                if ($run.ExitCode -ne 0) { break }
            }
        }

        $testWorkspace = Join-Path $TestDrive 'workspace-after-test'
        Copy-Workspace -From $RepositoryRoot -To $testWorkspace -Paths (Get-CircleCiPersistedPaths 'test')
        $packageJob = @(Invoke-CircleCiJob 'package' $testWorkspace)
    }

    It 'package: every step succeeds with only the test job''s workspace, and the module it installs migrates SQLite' {
        $packageJob.Count | Should -Be @(Get-CircleCiRunSteps 'package' | Where-Object Script).Count
        foreach ($step in $packageJob) { $step.ExitCode | Should -Be 0 -Because "$($step.Step): $($step.Output)" }
        Join-Path $testWorkspace "packages/TradingBot.Migrations.$version.nupkg" | Should -Exist
        Join-Path $testWorkspace 'test-results/package/round-trip.xml' | Should -Exist
        [xml] $drift = Get-Content -Raw (Join-Path $testWorkspace 'test-results/package/drift.xml')
        $drift.testsuites.name | Should -Be 'Schema drift of dev'
        $drift.testsuites.testsuite.failures | Should -Be '0'
        ($packageJob | Where-Object Step -Like 'Install it by name*').Output | Should -Match "Imported TradingBot.Migrations $version from \S*[/\\]home-package-\w+[/\\]\S*TradingBot.Migrations[/\\]$version"
        $status = Get-MigrationStatus -Database "sqlite:$testWorkspace/dev.db" -Path (Join-Path $testWorkspace 'migrations')
        @($status).Count | Should -BeGreaterThan 0
        $status.State | Sort-Object -Unique | Should -Be 'Applied'
    }

    It 'package: the schema-file step fails, with the diff, when a migration changed the schema and the committed file was not regenerated' {
        $step = Get-CircleCiRunSteps 'package' | Where-Object Name -Like 'The committed schema file*'
        $workspace = Join-Path $TestDrive 'workspace-stale-schema'
        Copy-Workspace -From $RepositoryRoot -To $workspace -Paths @('migrations', 'migrations.psd1')
        Set-Content (Join-Path $workspace 'migrations/9.9.9__late-column.up.sql') 'ALTER TABLE session_trades ADD COLUMN venue TEXT;'
        Set-Content (Join-Path $workspace 'migrations/9.9.9__late-column.down.sql') 'ALTER TABLE session_trades DROP COLUMN venue;'

        $run = Invoke-Pwsh -Command "$(Get-ImportLine); $($step.Script -replace 'Import-Module TradingBot.Migrations', '')" -WorkingDirectory $workspace

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -Match 'SchemaFileOutOfDate|not what the migrations make'
        $run.Output | Should -Match 'session_trades\.venue'
    }

    It '<Job>: every step succeeds against the PostgreSQL database <Variable> names, which ends fully migrated' -ForEach @(
        @{ Job = 'migrate-qa'; Variable = 'QA_DATABASE_URL'; Environment = 'qa' }
        @{ Job = 'migrate-prod'; Variable = 'PROD_DATABASE_URL'; Environment = 'prod' }) {
        $workspace = Join-Path $TestDrive "workspace-$Job"
        Copy-Workspace -From $testWorkspace -To $workspace -Paths (@('test', 'package') | ForEach-Object { Get-CircleCiPersistedPaths $_ })
        $database = New-TestDatabase -Dialect PostgreSql -AsUrl
        $steps = @(Invoke-CircleCiJob $Job $workspace @{ $Variable = $database })
        $steps.Count | Should -Be @(Get-CircleCiRunSteps $Job | Where-Object Script).Count
        foreach ($step in $steps) { $step.ExitCode | Should -Be 0 -Because "$($step.Step): $($step.Output)" }
        Join-Path $workspace "reports/$Environment-status.md" | Should -Exist
        Join-Path $workspace "test-results/migrations/$Environment-applied.xml" | Should -Exist
        $status = Get-MigrationStatus -Database $database -Path (Join-Path $workspace 'migrations')
        $status.State | Sort-Object -Unique | Should -Be 'Applied'
        ($steps.Output -join "`n") | Should -Not -Match ([regex]::Escape((Get-TestPassword)))
    }

    It 'migrate-tenants on four nodes, then merge-tenant-reports: each tenant migrated by one node, one report of them all' {
        $workspace = Join-Path $TestDrive 'workspace-tenants'
        Copy-Workspace -From $testWorkspace -To $workspace -Paths (@('test', 'package') | ForEach-Object { Get-CircleCiPersistedPaths $_ })
        $tenants = @(1..6 | ForEach-Object { New-TestDatabase -Dialect PostgreSql -AsUrl })
        $output = foreach ($node in 0..3) {
            $steps = @(Invoke-CircleCiJob 'migrate-tenants' $workspace @{ TENANT_DATABASE_URLS = $tenants -join "`n"; CIRCLE_NODE_INDEX = $node; CIRCLE_NODE_TOTAL = 4 })
            $steps.Count | Should -Be @(Get-CircleCiRunSteps 'migrate-tenants' | Where-Object Script).Count
            foreach ($step in $steps) { $step.ExitCode | Should -Be 0 -Because "node $node, $($step.Step): $($step.Output)"; $step.Output }
        }
        $merge = @(Invoke-CircleCiJob 'merge-tenant-reports' $workspace)
        foreach ($step in $merge) { $step.ExitCode | Should -Be 0 -Because "$($step.Step): $($step.Output)" }

        $applied = @($tenants | Get-MigrationStatus -Path (Join-Path $workspace 'migrations') -State Applied)
        $pending = @($tenants | Get-MigrationStatus -Path (Join-Path $workspace 'migrations') -State Pending)
        $pending.Count | Should -Be 0
        $cases = ([xml](Get-Content -Raw (Join-Path $workspace 'test-results/tenants/fleet.xml'))).testsuites.testsuite.testcase
        $cases.Count | Should -Be $applied.Count
        @($cases.classname | Sort-Object -Unique).Count | Should -Be 6
        Join-Path $workspace 'reports/tenants.md' | Should -Exist
        (($output + $merge.Output) -join "`n") + (Get-Content -Raw (Join-Path $workspace 'reports/tenants.json')) |
            Should -Not -Match ([regex]::Escape((Get-TestPassword)))
    }
}
