#Requires -Version 7.4
# Memory of a fleet in one real pwsh: 200 SQLite files and 50 PostgreSQL databases migrated in one call must keep
# nothing per finished target, neither while the fleet runs nor after it. A probe migration (a .ps1, which runs on the
# pipeline thread) samples the managed heap after a full collection as each target reaches it; the heap may hold what
# the targets in flight hold, but must not grow with the targets already done. Bytes, never time, are asserted.

BeforeAll {
    . $PSScriptRoot/Common.ps1

    function Get-ManagedBytes {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        [GC]::GetTotalMemory($true)
    }

    function Get-Median([double[]] $Values) {
        $sorted = @($Values | Sort-Object)
        $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]
    }
}

Describe 'Memory of a fleet' {
    BeforeAll {
        $project = New-TestProject
        Set-Content (Join-Path $project 'migrations/1.0.20__probe.ps1') @'
@{ Up = { param($Migration) [void]$global:TbmHeapSamples.Add([GC]::GetTotalMemory($true)) } }
'@
        Push-Location $project
        # Warm-up, not measured: loads and compiles the module's path and fills PowerShell's own caches.
        $warm = @(1..8 | ForEach-Object { New-TestDatabase -Dialect Sqlite }) + @(1..4 | ForEach-Object { New-TestDatabase -Dialect PostgreSql })
        $global:TbmHeapSamples = [System.Collections.Generic.List[long]]::new()
        $warm | Invoke-Migration -ThrottleLimit 4 | Out-Null

        # Four SQLite files, then a PostgreSQL database, and again: every stretch of the run has the same mix in flight.
        $targets = @(1..250 | ForEach-Object { New-TestDatabase -Dialect $(if ($_ % 5) { 'Sqlite' } else { 'PostgreSql' }) })
        $global:TbmHeapSamples = [System.Collections.Generic.List[long]]::new($targets.Count)
        $before = Get-ManagedBytes
        $applied = ($targets | Invoke-Migration -ThrottleLimit 4 | Measure-Object).Count
        $after = Get-ManagedBytes
        $samples = @($global:TbmHeapSamples)
        Write-Host ("Fleet of {0} targets: managed heap {1:0.0} MiB before, {2:0.0} MiB after ({3:0} bytes per target); samples while it ran: first {4:0.0} MiB, last {5:0.0} MiB, max {6:0.0} MiB" -f
            $targets.Count, ($before / 1MB), ($after / 1MB), (($after - $before) / $targets.Count), ($samples[0] / 1MB), ($samples[-1] / 1MB), (($samples | Measure-Object -Maximum).Maximum / 1MB))
    }

    AfterAll {
        Pop-Location
        Remove-Variable -Scope Global TbmHeapSamples -ErrorAction Ignore
    }

    It 'migrates every target, and the probe saw each' {
        $applied | Should -Be (4 * $targets.Count)
        $samples.Count | Should -Be $targets.Count
    }

    It 'does not grow with the targets done while the fleet runs' {
        # The median of 30 samples early on against 30 late. About 1 KiB per SQLite target is Microsoft.Data.Sqlite's own
        # (a pool group per connection string, which its timer prunes after four minutes); a retained connection, session,
        # catalog or Npgsql data source per target (95 KiB each, before fleets released them) would go well over 4 KiB.
        $early = Get-Median $samples[20..49]
        $late = Get-Median $samples[-30..-1]
        $done = $samples.Count - 15 - 35
        ($late - $early) / $done | Should -BeLessThan 4KB
    }

    It 'keeps nothing per target once the fleet is done' {
        ($after - $before) / $targets.Count | Should -BeLessThan 4KB
    }
}
