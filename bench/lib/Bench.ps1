# Dot-sourced by the pwsh benches (fleet.ps1, schema.ps1, trace.ps1): what their reports share.

# The median of a round's samples (the lower of the two middle ones for an even count).
function Get-Median($Values) { $sorted = @($Values | Sort-Object); $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)] }

# The line under a report's title: when, how many cores, the load then, and how many rounds the medians are of.
function Get-BenchConditions([int] $Rounds) {
    "$(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC, $([Environment]::ProcessorCount) cores, load $((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1). Medians of $Rounds round(s)"
}
