using System.Text;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>
/// Broken and hostile input across files, names, versions, directives, URLs and parameters: each case gives its
/// error id and message, and the database and the folder are byte for byte what they were.
/// </summary>
[Collection(ReliabilityGroup.Name)]
public sealed class HostileInputTests
{
    /// <summary>One broken input. In Command, {m} is the migrations folder and {db} the SQLite target.</summary>
    public sealed record BrokenInput(string Case, (string Name, byte[] Content)[] Files, string Command, string ErrorId, string Message);

    private static (string, byte[]) File(string name, string text) => (name, Encoding.UTF8.GetBytes(text));

    private static (string, byte[]) Bytes(string name, params byte[] content) => (name, content);

    private static BrokenInput Bad(string name, (string, byte[]) file, string errorId, string message) =>
        new(name, [file], "Invoke-Migration -Path '{m}' -Database '{db}'", errorId, message);

    private static BrokenInput Run(string name, string command, string errorId, string message) => new(name, [], command, errorId, message);

    public static IReadOnlyList<BrokenInput> Cases { get; } =
    [
        // Files and names
        Bad("version not a number", File("1.0.x__bad.up.sql", "SELECT 1;"), "InvalidMigrationVersion", "'1.0.x' is not a version"),
        Bad("version with an empty part", File("1..2__bad.up.sql", "SELECT 1;"), "InvalidMigrationVersion", "is not a version"),
        Bad("timestamp that is no date", File("20261399250000__bad.up.sql", "SELECT 1;"), "InvalidMigrationVersion", "not a valid date and time"),
        Bad("name with a space", File("1.0.1__bad name.up.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        Bad("single underscore", File("1.0.1_bad.up.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        Bad("empty name", File("1.0.1__.up.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        Bad("unknown role", File("1.0.1__x.sideways.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        Bad("non-ASCII name", File("1.0.1__naïve.up.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        Bad("dots in the name", File("1.0.1__a.b.up.sql", "SELECT 1;"), "InvalidMigrationFileName", "does not follow the naming convention"),
        new("two files, one version", [File("1.0.1__a.up.sql", "SELECT 1;"), File("1.0.1__b.up.sql", "SELECT 2;")],
            "Invoke-Migration -Path '{m}' -Database '{db}'", "DuplicateMigrationVersion", "Two migrations share version 1.0.1"),
        new("same version spelled twice", [File("1.0.1__a.up.sql", "SELECT 1;"), File("1.0.01__b.up.sql", "SELECT 2;")],
            "Invoke-Migration -Path '{m}' -Database '{db}'", "DuplicateMigrationVersion", "Two migrations share version"),
        Bad("empty script", File("1.0.1__empty.up.sql", ""), "EmptyMigrationScript", "1.0.1__empty.up.sql"),
        Bad("comments only", File("1.0.1__empty.up.sql", "-- nothing here\n/* or here */\n"), "EmptyMigrationScript", "1.0.1__empty.up.sql"),
        Bad("down without up", File("1.0.1__orphan.down.sql", "DROP TABLE x;"), "DownWithoutUp", "1.0.1__orphan.down.sql"),
        Bad("NUL bytes", Bytes("1.0.1__nul.up.sql", (byte)'S', (byte)'E', 0, (byte)'L'), "FileHasNulBytes", "contains NUL bytes"),
        Bad("UTF-16 without BOM", ("1.0.1__utf16.up.sql", Encoding.Unicode.GetBytes("SELECT 1;")), "FileHasNulBytes", "UTF-16 without a byte order mark"),
        Bad("invalid UTF-8", Bytes("1.0.1__latin.up.sql", (byte)'S', 0xC3, 0x28, (byte)';'), "FileNotUtf8", "is not valid UTF-8"),
        Bad("UTF-16 with a NUL character", ("1.0.1__utf16nul.up.sql", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("SELECT\01;")]), "FileHasNulBytes", "contains NUL characters"),
        new("PowerShell and SQL for one version", [File("1.0.1__mixed.up.sql", "SELECT 1;"), File("1.0.1__mixed.ps1", "@{ Up = { param($Migration) } }")],
            "Invoke-Migration -Path '{m}' -Database '{db}'", "MixedMigrationKinds", "both a PowerShell script and SQL files"),
        Bad("PowerShell without Up", File("1.0.1__noup.ps1", "@{ Down = { param($Migration) } }"), "PowerShellMigrationWithoutUp", "defines no Up block"),

        // Directives
        Bad("transaction: maybe", File("1.0.1__d.up.sql", "-- transaction: maybe\nSELECT 1;"), "InvalidDirective", "'-- transaction: maybe' is not understood"),
        Bad("lock_timeout: soon", File("1.0.1__d.up.sql", "-- lock_timeout: soon\nSELECT 1;"), "InvalidDirective", "is not a duration"),
        Bad("statement_timeout: 5 weeks", File("1.0.1__d.up.sql", "-- statement_timeout: 5 weeks\nSELECT 1;"), "InvalidDirective", "is not a duration"),
        Bad("lock-timeout: 10d", File("1.0.1__d.up.sql", "-- lock-timeout: 10d\nSELECT 1;"), "InvalidDirective", "is not a duration"),
        Bad("statement_timeout: -5s", File("1.0.1__d.up.sql", "-- statement_timeout: -5s\nSELECT 1;"), "InvalidDirective", "is not a duration"),
        Bad("transaction: (empty)", File("1.0.1__d.up.sql", "-- transaction:\nSELECT 1;"), "InvalidDirective", "is not understood"),

        // URLs
        Run("unknown scheme", "Get-MigrationStatus -Path '{m}' -Database 'mysql://u:pw@host/db'", "UnknownDatabaseScheme", "'mysql' databases are not supported"),
        Run("ftp scheme", "Get-MigrationStatus -Path '{m}' -Database 'ftp://host/file.db'", "UnknownDatabaseScheme", "'ftp' databases are not supported"),
        Run("postgres URL without a host", "Get-MigrationStatus -Path '{m}' -Database 'postgres://'", "InvalidPostgresUrl", "is not a valid PostgreSQL URL"),
        Run("postgres URL with a broken IPv6 host", "Get-MigrationStatus -Path '{m}' -Database 'postgres://u:pw@[::1/db'", "InvalidPostgresUrl", "is not a valid PostgreSQL URL"),
        Run("postgres URL with port 99999", "Get-MigrationStatus -Path '{m}' -Database 'postgres://u:pw@host:99999/db'", "InvalidPostgresUrl", "is not a valid PostgreSQL URL"),
        Run("sslmode=sometimes", "Get-MigrationStatus -Path '{m}' -Database 'postgres://u:pw@host/db?sslmode=sometimes'", "InvalidPostgresUrlOption", "'sslmode=sometimes' is not understood"),
        Run("unknown URL option", "Get-MigrationStatus -Path '{m}' -Database 'postgres://u:pw@host/db?frobnicate=1'", "InvalidPostgresUrlOption", "'frobnicate=1' is not understood"),
        Run("connection string without host", "Get-MigrationStatus -Path '{m}' -Database 'Database=x;Username=u'", "ConnectionStringWithoutHost", "has no Host="),
        Run("connection string with a bogus keyword", "Get-MigrationStatus -Path '{m}' -Database 'Host=h;Bogus Key=1'", "InvalidConnectionString", "is not valid"),
        Run("plain words", "Get-MigrationStatus -Path '{m}' -Database 'just-words'", "UnrecognisedDatabase", "The database is not recognised"),
        Run("sqlite file in a missing folder", "Invoke-Migration -Path '{m}' -Database 'sqlite:{root}/no/such/folder/x.db'", "SqliteFolderNotFound", "no/such/folder' first, or fix the path"),

        // Parameters
        Run("unknown target version", "Invoke-Migration -Path '{m}' -Database '{db}' -TargetVersion 9.9.9", "UnknownTargetVersion", "There is no migration 9.9.9"),
        Run("target version not a version", "Invoke-Migration -Path '{m}' -Database '{db}' -TargetVersion abc", "InvalidTargetVersion", "-TargetVersion:"),
        Run("target version with SQL", "Invoke-Migration -Path '{m}' -Database '{db}' -TargetVersion '1.0.0; DROP TABLE base'", "InvalidTargetVersion", "-TargetVersion:"),
        Run("lock timeout 0", "Invoke-Migration -Path '{m}' -Database '{db}' -LockTimeout 0", "ParameterArgumentValidationError", "LockTimeout"),
        Run("lock timeout too long", "Invoke-Migration -Path '{m}' -Database '{db}' -LockTimeout 100000", "ParameterArgumentValidationError", "LockTimeout"),
        Run("undo to an unknown version", "Undo-Migration -Path '{m}' -Database '{db}' -TargetVersion 9.9.9 -Force", "UnknownTargetVersion", "There is no migration 9.9.9, applied or in the folder"),
        Run("history table with SQL", "Invoke-Migration -Path '{m}' -Database '{db}' -HistoryTable 'x; DROP TABLE base'", "InvalidHistoryTableName", "is not a valid history table name"),
        Run("history table with quotes", "Invoke-Migration -Path '{m}' -Database '{db}' -HistoryTable 'a\"b'", "InvalidHistoryTableName", "is not a valid history table name"),
        Run("history table of 64 characters", "Invoke-Migration -Path '{m}' -Database '{db}' -HistoryTable ('t' * 64)", "InvalidHistoryTableName", "1 to 63 letters"),
        Run("history schema with a dot", "Get-MigrationStatus -Path '{m}' -Database '{db}' -HistorySchema 'a.b'", "InvalidHistoryTableName", "is not a valid history schema name"),
        Run("missing migrations folder", "Invoke-Migration -Path '{root}/nowhere' -Database '{db}'", "MigrationsFolderNotFound", "does not exist"),
        Run("unknown state filter", "Get-MigrationStatus -Path '{m}' -Database '{db}' -State Exploded", "CannotConvertArgumentNoMessage", "Cannot convert value \"Exploded\" to type \"TradingBot.Migrations.MigrationState\""),
        Run("unknown repair action", "Repair-Migration -Path '{m}' -Database '{db}' -Version 1.0.0 -Action Explode", "CannotConvertArgumentNoMessage", "Cannot convert value \"Explode\" to type \"TradingBot.Migrations.MigrationRepairAction\""),
        Run("new migration named ../x", "New-Migration -Path '{m}' -Name '../x'", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration named a/b", "New-Migration -Path '{m}' -Name 'a/b'", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration named C:\\x", "New-Migration -Path '{m}' -Name 'C:\\x'", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration named ..", "New-Migration -Path '{m}' -Name '..'", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration named /etc/passwd", "New-Migration -Path '{m}' -Name '/etc/passwd'", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration with a NUL in the name", "New-Migration -Path '{m}' -Name \"x`0y\"", "InvalidMigrationName", "is not a valid migration name"),
        Run("new migration at version ../1", "New-Migration -Path '{m}' -Name x -Version '../1'", "InvalidMigrationVersion", "-Version:"),
        Run("new migration at version 1/../../2", "New-Migration -Path '{m}' -Name x -Version '1/../../2'", "InvalidMigrationVersion", "-Version:"),
        Run("new migration at version C:\\1", "New-Migration -Path '{m}' -Name x -Version 'C:\\1'", "InvalidMigrationVersion", "-Version:"),
        Run("new migration at an existing version", "New-Migration -Path '{m}' -Name x -Version 1.0.0", "MigrationVersionExists", "Version 1.0.0 already exists"),
    ];

    [Fact]
    public void Every_broken_input_gives_its_error_id_and_message_and_changes_neither_database_nor_folder()
    {
        var failures = new List<string>();
        foreach (var input in Cases)
        {
            using var folder = new TempFolder();
            using var session = new PowerShellSession(folder.Path);
            var db = "sqlite:" + Path.Combine(folder.Path, "app.db");
            folder.Write("1.0.0__base.up.sql", "CREATE TABLE base (id integer);\n");
            session.Run($"Invoke-Migration -Path '{folder.Migrations}' -Database '{db}'").ThrowOnError();
            foreach (var (name, content) in input.Files)
            {
                System.IO.File.WriteAllBytes(Path.Combine(folder.Migrations, name), content);
            }

            var before = Snapshot(folder.Path);
            var command = input.Command.Replace("{m}", folder.Migrations, StringComparison.Ordinal)
                .Replace("{db}", db, StringComparison.Ordinal).Replace("{root}", folder.Path, StringComparison.Ordinal);

            var result = session.Run(command);

            var error = result.Error;
            var id = error?.FullyQualifiedErrorId.Split(',')[0];
            var message = error?.Exception.Message ?? string.Empty;
            if (error is null || !error.FullyQualifiedErrorId.StartsWith(input.ErrorId, StringComparison.Ordinal) || !message.Contains(input.Message, StringComparison.Ordinal))
            {
                failures.Add($"{input.Case}: expected {input.ErrorId} '{input.Message}', got {error?.FullyQualifiedErrorId ?? "no error"} '{message}'");
            }

            if (result.Output.Count > 0)
            {
                failures.Add($"{input.Case}: wrote {result.Output.Count} object(s)");
            }

            if (Snapshot(folder.Path) != before)
            {
                failures.Add($"{input.Case}: the folder or the database changed (error {id})");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Record($"hostile input: {Cases.Count} broken inputs tried, each with its error id, and nothing changed");
    }
}
