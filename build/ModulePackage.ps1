# The module as users install it, for build.ps1 -Task Package: out/TradingBot.Migrations/<version>, every file beside
# the manifest (the repository's manifest points into artifacts/ and module/), the manifest's FileList naming each one.

# Files under artifacts/module that the package leaves out:
# - .pdb: debugging symbols, no use to the module at run time;
# - runtimes/browser-wasm: SQLite as a static archive (e_sqlite3.a) that WebAssembly apps link in when they are
#   built. No process loads it at run time (the engine's load context resolves only shared libraries), and pwsh does
#   not run in a browser. The shared libraries for every other platform stay.
$PackageExclusions = @('*.pdb', 'deps/runtimes/browser-wasm/*')

# Package-relative path (with /) -> source file. module/ supplies the format, types and about_ files; where the build
# staged the same file in artifacts/module (the about_ topic), that copy is taken once.
function Get-ModulePackageContent([string] $Root) {
    $content = [ordered]@{}
    foreach ($folder in 'artifacts/module', 'module') {
        $base = Join-Path $Root $folder
        foreach ($file in Get-ChildItem -Recurse -File -Path $base) {
            $relative = [System.IO.Path]::GetRelativePath($base, $file.FullName).Replace('\', '/')
            $excluded = $PackageExclusions | Where-Object { $relative -like $_ }
            if (-not $excluded -and -not $content.Contains($relative)) { $content[$relative] = $file.FullName }
        }
    }
    $content['LICENSE'] = Join-Path $Root 'LICENSE'
    $content
}

# The repository's manifest with paths relative to the package and a FileList: its keys and values kept as written.
function Get-PackagedManifestText([string] $ManifestPath, [string[]] $FileList) {
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($ManifestPath, [ref] $null, [ref] $errors)
    if ($errors) { throw "$ManifestPath does not parse: $($errors[0].Message)" }
    $table = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false)
    if ($table.KeyValuePairs.Item1.Value -contains 'FileList') { throw "$ManifestPath has a FileList; the package writes its own." }
    $text = $ast.Extent.Text
    $firstKey = $table.KeyValuePairs[0].Item1.Extent.StartOffset
    $closingBrace = $table.Extent.EndOffset - 1
    $entries = $text.Substring($firstKey, $closingBrace - $firstKey).TrimEnd().
        Replace("'artifacts/module/", "'").
        Replace("'module/", "'")
    $files = ($FileList | ForEach-Object { "        '$_'" }) -join "`n"
    @"
@{
    # The packaged module (build.ps1 -Task Package from the repository's TradingBot.Migrations.psd1): every file sits
    # beside this manifest, and FileList names each one.
    $entries
    FileList             = @(
$files
    )
}

"@
}

# Writes out/TradingBot.Migrations/<version> from what the build staged, replacing an earlier package of that version.
# Assembled beside it and moved into place once the manifest passes Test-ModuleManifest, so a failure leaves no
# half-written package. Returns the folder.
function New-ModulePackage([string] $Root) {
    $manifestPath = Join-Path $Root 'TradingBot.Migrations.psd1'
    $version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
    $packages = Join-Path $Root 'out/TradingBot.Migrations'
    $target = Join-Path $packages $version
    $staging = Join-Path $packages ".$version.staging"
    if (Test-Path $staging) { Remove-Item -Recurse -Force $staging }

    $content = Get-ModulePackageContent $Root
    foreach ($relative in $content.Keys) {
        $destination = Join-Path $staging $relative
        New-Item -ItemType Directory -Force -Path (Split-Path $destination) | Out-Null
        Copy-Item -LiteralPath $content[$relative] -Destination $destination
    }
    $fileList = @($content.Keys) + 'TradingBot.Migrations.psd1' | Sort-Object
    Get-PackagedManifestText $manifestPath $fileList |
        Set-Content -NoNewline -Encoding utf8 -Path (Join-Path $staging 'TradingBot.Migrations.psd1')
    Test-ModuleManifest -Path (Join-Path $staging 'TradingBot.Migrations.psd1') | Out-Null

    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    Move-Item -LiteralPath $staging -Destination $target
    Get-Item $target
}
