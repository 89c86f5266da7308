# A throwaway PostgreSQL cluster for the test command (build.ps1 -Task Test): the one starter the xunit fixtures use
# too (tests/Shared/Postgres/ThrowawayPostgres.cs), run through its command line, tests/TestPostgres. 127.0.0.1 on a
# free port, a random password and scram-sha-256, in a temporary folder; as root the server runs as the 'postgres' OS
# user. Stop-TestPostgres stops it and removes the folder; if this pwsh exits first, the starter's watchdog does.
# Dot-source it: . ./build/TestPostgres.ps1; $server = Start-TestPostgres; ...; Stop-TestPostgres $server

function Get-TestPostgresTool {
    $project = Join-Path $PSScriptRoot '../tests/TestPostgres/TestPostgres.csproj'
    $output = & dotnet build $project -c Release -nologo -t:Build -getProperty:TargetPath 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building tests/TestPostgres failed:`n$($output -join "`n")" }
    ($output | Select-Object -Last 1).ToString().Trim()
}

# An object with Bin, Folder, Port, Password and ConnectionString (Npgsql keyword form, database postgres).
function Start-TestPostgres {
    [CmdletBinding()]
    param()
    $tool = Get-TestPostgresTool
    $json = & dotnet $tool start --owner-pid $PID
    if ($LASTEXITCODE -ne 0) {
        throw "No throwaway PostgreSQL (see above). Install the server binaries (Debian: apt-get install postgresql), or set TBM_TEST_POSTGRES to a server's Npgsql connection string."
    }
    $server = $json | ConvertFrom-Json
    $server | Add-Member -NotePropertyName Tool -NotePropertyValue $tool
    $server
}

function Stop-TestPostgres($Server) {
    if (-not $Server) { return }
    & dotnet $Server.Tool stop $Server.Folder $Server.Bin
}
