# A throwaway PostgreSQL cluster for the test command (build.ps1 -Task Test), on 127.0.0.1 and a free port, with
# a random password and scram-sha-256, in a temporary folder that Stop-TestPostgres removes again.
# PostgreSQL refuses to run as root: as root the server runs as the 'postgres' OS user.
# Dot-source it: . ./build/TestPostgres.ps1; $server = Start-TestPostgres; ...; Stop-TestPostgres $server

function Find-PostgresBin {
    $candidates = @(Get-ChildItem -Directory -Path '/usr/lib/postgresql/*/bin' -ErrorAction SilentlyContinue |
            Sort-Object { [int]($_.Parent.Name -replace '\D', '') } -Descending |
            ForEach-Object FullName)
    $onPath = Get-Command pg_ctl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { $candidates += Split-Path -Parent (Resolve-Path $onPath.Source).Path }
    foreach ($dir in $candidates) {
        if ((Test-Path "$dir/initdb") -and (Test-Path "$dir/pg_ctl") -and (Test-Path "$dir/postgres")) { return $dir }
    }
    $null
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    try { $listener.Start(); $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Invoke-AsPostgresUser([string] $Folder, [string] $Command, [string[]] $Arguments) {
    Push-Location $Folder
    try {
        if ($IsLinux -and (id -u) -eq '0') { & runuser -u postgres -- $Command @Arguments }
        else { & $Command @Arguments }
        $LASTEXITCODE
    }
    finally { Pop-Location }
}

function Start-TestPostgres {
    [CmdletBinding()]
    param()
    $bin = Find-PostgresBin
    if (-not $bin) {
        throw "No PostgreSQL server binaries (initdb, pg_ctl, postgres) found under /usr/lib/postgresql/*/bin or on PATH. Install them (Debian: apt-get install postgresql), or set TBM_TEST_POSTGRES to a server's Npgsql connection string."
    }
    $isRoot = $IsLinux -and (id -u) -eq '0'
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "tbm-pg-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $folder | Out-Null
    if ($isRoot) { chmod 0755 $folder; chown postgres:postgres $folder }
    $server = [pscustomobject]@{
        Bin = $bin; Folder = $folder; Data = Join-Path $folder 'data'; Log = Join-Path $folder 'server.log'
        Port = 0; Password = -join ((1..32) | ForEach-Object { '{0:x}' -f (Get-Random -Maximum 16) })
        ConnectionString = $null
    }
    try {
        $passwordFile = Join-Path $folder 'pwfile'
        Set-Content -Path $passwordFile -Value $server.Password -NoNewline
        if ($isRoot) { chown postgres:postgres $passwordFile }
        $initdb = @('-D', $server.Data, '-U', 'postgres', "--pwfile=$passwordFile", '--auth-local=trust',
            '--auth-host=scram-sha-256', '--encoding=UTF8', '--no-locale')
        $output = Invoke-AsPostgresUser $folder "$bin/initdb" $initdb 2>&1
        if ($output[-1] -ne 0) { throw "initdb failed:`n$($output -join "`n")" }
        [System.IO.File]::Delete($passwordFile)

        foreach ($attempt in 1..5) {
            $server.Port = Get-FreeTcpPort
            # Appended settings win over earlier ones, so on a retry the newest port applies.
            $settings = "listen_addresses = '127.0.0.1'`nport = $($server.Port)`nunix_socket_directories = '$folder'`nmax_connections = 200`n"
            Add-Content -Path "$($server.Data)/postgresql.conf" -Value $settings
            $exit = (Invoke-AsPostgresUser $folder "$bin/pg_ctl" @('-D', $server.Data, '-l', $server.Log, '-w', '-t', '60', 'start') *>&1)[-1]
            if ($exit -eq 0) { break }
            if ($attempt -eq 5) { throw "PostgreSQL did not start:`n$(Get-Content -Raw $server.Log -ErrorAction SilentlyContinue)" }
        }
        $server.ConnectionString = "Host=127.0.0.1;Port=$($server.Port);Username=postgres;Password=$($server.Password);Database=postgres"
        $server
    }
    catch {
        Stop-TestPostgres $server
        throw
    }
}

function Stop-TestPostgres($Server) {
    if (-not $Server) { return }
    if (Test-Path (Join-Path $Server.Data 'postmaster.pid')) {
        $exit = (Invoke-AsPostgresUser $Server.Folder "$($Server.Bin)/pg_ctl" @('-D', $Server.Data, '-m', 'fast', '-w', '-t', '60', 'stop') *>&1)[-1]
        if ($exit -ne 0) { Invoke-AsPostgresUser $Server.Folder "$($Server.Bin)/pg_ctl" @('-D', $Server.Data, '-m', 'immediate', '-w', 'stop') *>&1 | Out-Null }
    }
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Server.Folder
}
