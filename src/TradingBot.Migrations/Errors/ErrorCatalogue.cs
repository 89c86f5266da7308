using System.Collections.Frozen;
using System.Management.Automation;
using TradingBot.Migrations.Engine;
using static TradingBot.Migrations.Engine.MigrationErrors;

namespace TradingBot.Migrations.Errors;

/// <summary>
/// One error id: the ErrorCategory its ErrorRecords always carry, and the recommended action they carry when the place
/// that raised it knows no more specific one.
/// </summary>
internal sealed record ErrorEntry(string Id, ErrorCategory Category, string RecommendedAction);

/// <summary>
/// Every error id the module raises, each with its category and default recommended action, in one place: the engine's
/// <see cref="MigrationErrors"/> and the few the cmdlets raise as ErrorRecords of their own. The README's table of error
/// ids lists the same ids and categories; tests hold the three together.
/// </summary>
internal static class ErrorCatalogue
{
    public static readonly ErrorEntry UnsafeMigration = new(nameof(UnsafeMigration), ErrorCategory.InvalidData,
        "Make the change safely as each finding's Remedy says, or suppress it in the script with '-- safety: ignore <rule> reason: <why>'.");

    public static readonly ErrorEntry UnsupportedReportInput = new(nameof(UnsupportedReportInput), ErrorCategory.InvalidType,
        "Pipe Get-MigrationStatus, Invoke-Migration, Undo-Migration or Test-MigrationDrift into it, one kind per report; -FailOn only with Test-MigrationDrift's differences.");

    public static readonly ErrorEntry SchemaDriftFound = new(nameof(SchemaDriftFound), ErrorCategory.InvalidData,
        "Make the schemas agree: a migration for what the other side lacks (or drop what was added by hand), then run Test-MigrationDrift again.");

    public static readonly ErrorEntry SchemaFileOutOfDate = new(nameof(SchemaFileOutOfDate), ErrorCategory.InvalidData,
        "Write it again with Export-MigrationSchema -Replay -OutFile <the file> and commit it with the migrations that changed the schema.");

    public static readonly ErrorEntry RoundTripFailed = new(nameof(RoundTripFailed), ErrorCategory.InvalidData,
        "Make each down undo exactly what its up does (the Reason names what was left over or missing), then run Test-MigrationDrift -RoundTrip again.");

    public static readonly ErrorEntry InvalidReportFile = new(nameof(InvalidReportFile), ErrorCategory.InvalidData,
        "Pass the JSON files that Export-MigrationReport -Format Json wrote (one per shard or node).");

    public static IReadOnlyList<ErrorEntry> Entries { get; } =
    [
        // Migration files and folders.
        Of(InvalidMigrationFileName, ErrorCategory.InvalidData, "Rename the file to <version>__<name>.up.sql, .down.sql or .ps1 (two underscores), such as 1.0.3__add-index.up.sql."),
        Of(InvalidMigrationVersion, ErrorCategory.InvalidData, "Use a dotted version (1.0.3) or a UTC timestamp (20260315093000)."),
        Of(DuplicateMigrationVersion, ErrorCategory.InvalidData, "Give one of the two migrations a new version."),
        Of(MixedMigrationKinds, ErrorCategory.InvalidData, "Keep one kind per version: either the .ps1 or the .sql files."),
        Of(DownWithoutUp, ErrorCategory.InvalidData, "Add the up script of that version, or remove the down."),
        Of(PowerShellMigrationWithoutUp, ErrorCategory.InvalidData, "Return @{ Up = { param($Migration) ... }; Down = { param($Migration) ... } } from the script."),
        Of(PowerShellMigrationParseError, ErrorCategory.InvalidData, "Fix the PowerShell syntax error at the line the message names."),
        Of(FileUnreadable, ErrorCategory.InvalidData, "Make the file readable by the user running the command."),
        Of(FileHasNulBytes, ErrorCategory.InvalidData, "Save the file as UTF-8 text."),
        Of(FileNotUtf8, ErrorCategory.InvalidData, "Save the file as UTF-8 (with or without a byte order mark)."),
        Of(MigrationFileChanged, ErrorCategory.InvalidData, "Run the command again once nothing is editing the migrations folder."),
        Of(InvalidDirective, ErrorCategory.InvalidData, "Fix the directive comment at the line the message names (-- transaction: none, -- safety: ignore <rule> reason: <why>)."),
        Of(EmptyMigrationScript, ErrorCategory.InvalidData, "Write the change, or delete the file (a down that must do nothing can say SELECT 1;)."),
        Of(TransactionControlInMigration, ErrorCategory.InvalidData, "Remove BEGIN/COMMIT/ROLLBACK and let the migrator run the script in its transaction, or mark it -- transaction: none."),
        Of(MigrationsFolderNotFound, ErrorCategory.InvalidArgument, "Create the folder, or pass the right one with -Path (or MigrationsPath in migrations.psd1)."),
        Of(MigrationsFolderUnreadable, ErrorCategory.ResourceUnavailable, "Make the migrations folder readable by the user running the command."),

        // New-Migration.
        Of(InvalidMigrationName, ErrorCategory.InvalidArgument, "Name it with letters and digits, words joined by - or _, such as add-user-email."),
        Of(MigrationVersionExists, ErrorCategory.InvalidArgument, "Pick another -Version, or leave it out to take the next one."),
        Of(PathOutsideFolder, ErrorCategory.InvalidArgument, "Pass a -Version and -Name without path separators or '..'."),
        Of(MigrationFileNotWritten, ErrorCategory.ResourceUnavailable, "Make the migrations folder writable, or pass another one with -Path."),

        // Parameters.
        Of(InvalidTargetVersion, ErrorCategory.InvalidArgument, "Pass a version as Get-MigrationStatus shows it, such as 1.0.3 (0 for none)."),
        Of(InvalidVersion, ErrorCategory.InvalidArgument, "Pass a version as Get-MigrationStatus shows it, such as 1.0.3."),
        Of(InvalidRepairVersion, ErrorCategory.InvalidArgument, "Pass a version as Get-MigrationStatus shows it, such as 1.0.3."),
        Of(RepairVersionRequired, ErrorCategory.InvalidArgument, "Name the migration to repair with -Version."),
        Of(InvalidHistoryTableName, ErrorCategory.InvalidArgument, "Use 1 to 63 letters, digits and underscores, starting with a letter or underscore."),
        Of(UnsupportedDatabase, ErrorCategory.InvalidArgument, "Use a PostgreSQL or SQLite database."),
        Of(UnknownEnvironment, ErrorCategory.ObjectNotFound, "Use one of the environments of migrations.psd1, or add it to its Environments table."),
        Of(ConfigurationFileNotFound, ErrorCategory.InvalidArgument, "Pass the path of an existing file to -ConfigurationPath, or run from the folder that holds migrations.psd1."),

        // The database a target names.
        Of(EmptyDatabase, ErrorCategory.InvalidArgument, "Pass a postgres:// URL, an Npgsql connection string, sqlite:path or a .db file."),
        Of(UnknownDatabaseScheme, ErrorCategory.InvalidArgument, "Use postgres://, postgresql:// or sqlite:."),
        Of(UnrecognisedDatabase, ErrorCategory.InvalidArgument, "Pass a postgres:// URL, an Npgsql connection string, sqlite:path or a .db file."),
        Of(InvalidPostgresUrl, ErrorCategory.InvalidArgument, "Write the URL as postgres://user@host:5432/database, percent-encoding special characters."),
        Of(InvalidPostgresUrlOption, ErrorCategory.InvalidArgument, "Use the options PostgreSQL's URLs take, such as sslmode=require."),
        Of(InvalidConnectionString, ErrorCategory.InvalidArgument, "Write the connection string as Host=...;Database=...;Username=..."),
        Of(ConnectionStringWithoutHost, ErrorCategory.InvalidArgument, "Add Host= with the server's host name."),
        Of(EmptySqlitePath, ErrorCategory.InvalidArgument, "Write sqlite:./dev.db or a path to a .db file."),
        Of(SqliteFolderNotFound, ErrorCategory.InvalidArgument, "Create the database's folder first, or fix the path."),
        Of(CredentialWithPassword, ErrorCategory.InvalidArgument, "Keep the password in one place: leave it out of the database, or leave out -Credential."),
        Of(CredentialUserMismatch, ErrorCategory.InvalidArgument, "Use the same user in the database and in -Credential, or leave the user out of the database."),
        Of(CredentialNotSupported, ErrorCategory.InvalidArgument, "Leave out -Credential: a SQLite database has no user or password."),
        Of(EnvironmentVariableNotSet, ErrorCategory.InvalidArgument, "Set the environment's variable to the database URL (in CI: in the job's context), or pick another environment."),

        // migrations.psd1.
        Of(InvalidConfigurationFile, ErrorCategory.ParserError, "Make migrations.psd1 one PowerShell data hashtable, @{ ... }, fixing the line the message names."),
        Of(ConfigurationFileUnreadable, ErrorCategory.ParserError, "Make the configuration file readable by the user running the command."),
        Of(UnknownConfigurationKey, ErrorCategory.ParserError, "Fix the key's spelling at the line the message names; the message lists the known keys."),
        Of(DuplicateConfigurationKey, ErrorCategory.ParserError, "Keep one of the two entries (keys are case-insensitive)."),
        Of(InvalidConfigurationValue, ErrorCategory.ParserError, "Fix the value at the line the message names."),
        Of(MissingConfigurationValue, ErrorCategory.ParserError, "Give that environment exactly one of Database and DatabaseUrlVariable."),

        // Plans refused before anything runs.
        Of(UnknownTargetVersion, ErrorCategory.ObjectNotFound, "Run Get-MigrationStatus to see the versions; -TargetVersion 0 rolls back everything."),
        Of(UnknownVersion, ErrorCategory.ObjectNotFound, "Run Get-MigrationStatus to see the versions."),
        Of(UnknownRepairVersion, ErrorCategory.ObjectNotFound, "Run Get-MigrationStatus to see the versions."),
        Of(FailedMigrationBlocks, ErrorCategory.InvalidOperation, "Finish or undo the failed migration's changes by hand, then run Repair-Migration -Action MarkApplied or MarkRolledBack."),
        Of(ModifiedMigrationBlocks, ErrorCategory.InvalidOperation, "Restore the original files, or if the edit is cosmetic run Repair-Migration -Action UpdateChecksum; -AllowModified runs anyway."),
        Of(OutOfOrderMigrationBlocks, ErrorCategory.InvalidOperation, "Give the pending migrations versions after the newest applied one, or pass -AllowOutOfOrder if running them late is safe."),
        Of(TargetBelowApplied, ErrorCategory.InvalidOperation, "Use Undo-Migration -TargetVersion to roll back."),
        Of(NoScriptForDialect, ErrorCategory.InvalidOperation, "Add an up script for this database: <version>__<name>.up.sql, or .up.postgres.sql / .up.sqlite.sql."),
        Of(MissingDownScript, ErrorCategory.InvalidOperation, "Add the missing .down.sql files (or a Down block), or roll back to a later version."),
        Of(NoRollbackTarget, ErrorCategory.InvalidOperation, "Say how far to roll back: -TargetVersion v (0 for everything), -Count n or -All."),
        Of(InvalidCount, ErrorCategory.InvalidOperation, "Pass -Count 1 or more."),
        Of(RepairNotApplicable, ErrorCategory.InvalidOperation, "Run Get-MigrationStatus: MarkApplied takes a Failed or Pending migration, MarkRolledBack one with a history row, UpdateChecksum a Modified one."),
        Of(NonInteractiveConfirmation, ErrorCategory.InvalidOperation, "Pass -Force or -Confirm:$false when it is intended; preview it first with -WhatIf."),
        Of(ProtectedEnvironmentOverrideRefused, ErrorCategory.InvalidOperation,
            "Repair instead: restore the applied migration's file (or record the change with Repair-Migration), or give the pending migration a version newer than the newest applied one."),
        Of(ProtectedEnvironmentRequiresForce, ErrorCategory.InvalidOperation, "Add -Force when the rollback is intended; preview it first with -WhatIf."),

        // Running migrations.
        Of(MigrationFailed, ErrorCategory.InvalidResult, "Fix the statement the message names and run the command again; Get-MigrationStatus shows what is applied."),
        Of(PowerShellHostRequired, ErrorCategory.InvalidResult, "Run PowerShell migrations through the module's cmdlets (Invoke-Migration, Undo-Migration) or tbm."),
        Of(MigrationCanceled, ErrorCategory.OperationStopped, "Run the command again when it may finish; Get-MigrationStatus shows what is applied."),
        Of(OperationCanceled, ErrorCategory.OperationStopped, "Run the command again when it may finish; Get-MigrationStatus shows what is applied."),
        Of(MigrationLockTimeout, ErrorCategory.ResourceBusy, "Wait for the other run to finish, or raise -LockTimeout."),
        Of(InvalidIndexBlocksMigration, ErrorCategory.ResourceExists, "Run Invoke-Migration -DropInvalidIndexes to drop the invalid index and build it again, or drop it yourself (DROP INDEX CONCURRENTLY)."),
        Of(MigrationAppliedByAnotherRun, ErrorCategory.ResourceBusy, "Nothing to fix in the migration: run Invoke-Migration again to apply what is still pending."),

        // The database and its history table.
        Of(ConnectionFailed, ErrorCategory.ConnectionError, "Check that the server is running and reachable, and the host, port, user, password and database."),
        Of(SqliteOpenFailed, ErrorCategory.ConnectionError, "Check the path of the SQLite file and that it is a SQLite database the user can open."),
        Of(DatabaseError, ErrorCategory.ResourceUnavailable, "Check the database's message (its SQLSTATE code) and the server's log, then run the command again."),
        Of(SqliteError, ErrorCategory.ResourceUnavailable, "Check the SQLite message, and that no other program holds the file, then run the command again."),
        Of(SqliteDatabaseReadOnly, ErrorCategory.ResourceUnavailable, "Make the file and its folder writable, or run Get-MigrationStatus to only read it."),
        Of(HistoryVersionInvalid, ErrorCategory.InvalidData, "Fix or delete the history table's row with that version."),

        // Test-MigrationSafety.
        Of(RollbackCheckWithoutDatabase, ErrorCategory.InvalidArgument, "Name the database the rollback would run on (-Database, -Environment or $env:DATABASE_URL), as Undo-Migration would find it."),

        // Schema export and drift.
        Of(InvalidSchemaFile, ErrorCategory.InvalidData, "Write it again with Export-MigrationSchema -OutFile, and do not edit it by hand."),
        Of(SchemaFileNotFound, ErrorCategory.ObjectNotFound, "Write it with Export-MigrationSchema -Replay -OutFile <path>, and commit it."),
        Of(SchemaDialectMismatch, ErrorCategory.InvalidArgument, "Compare a PostgreSQL schema with a PostgreSQL database, and a SQLite one with a SQLite database."),
        Of(ScratchDatabaseFailed, ErrorCategory.ResourceUnavailable, "Give the user the CREATEDB privilege (ALTER ROLE <user> CREATEDB), or name a server where it has it."),
        Of(AppliedMigrationMissing, ErrorCategory.ObjectNotFound,
            "Restore the migration's files (from version control), or compare with the committed schema file (-SchemaFile) or another database (-Reference/-Difference)."),

        // Adoption: Import-MigrationHistory and Set-MigrationBaseline.
        Of(SourceFolderNotFound, ErrorCategory.InvalidArgument, "Pass the other tool's migrations folder to -SourcePath (dbmate: ./db/migrations)."),
        Of(UnconvertibleMigration, ErrorCategory.InvalidData, "Change the file and line the message names in the other tool's folder (and apply it there if it changed what runs), then import again."),
        Of(SourceHistoryNotFound, ErrorCategory.ObjectNotFound, "Point -Database at the database the other tool migrated, or name its history table with -SourceTable."),
        Of(SourceVersionWithoutFile, ErrorCategory.InvalidData, "Restore the migration's file in the other tool's folder (from version control), then import again."),
        Of(ImportFileConflict, ErrorCategory.InvalidOperation, "Import into an empty folder with -Path, or remove the file the message names if it is a stale copy."),
        Of(HistoryTableTaken, ErrorCategory.InvalidOperation, "Name another table for this module's history with -HistoryTable (or HistoryTable in migrations.psd1)."),
        Of(InvalidBaselineVersion, ErrorCategory.InvalidArgument, "Pass the version of a migration file to Set-MigrationBaseline -Version, such as 1.0.2 or 20261124093000."),
        Of(UnknownBaselineVersion, ErrorCategory.ObjectNotFound, "Run Get-MigrationStatus to see the versions; a baseline names the version of a migration file."),
        Of(BaselineNotApplicable, ErrorCategory.InvalidOperation, "Resolve the Failed or Modified migration with Repair-Migration first, then baseline again."),
        Of(BaselineContradictsSchema, ErrorCategory.InvalidOperation,
            "Run Set-MigrationBaseline -WhatIf to see each file's evidence; pick the version the schema is at, fix the schema, or pass -Force if the baseline is right."),

        // Fleets.
        Of(InvalidShard, ErrorCategory.InvalidArgument, "Pass -Shard i/n with 1 <= i <= n (1/3, 2/3 and 3/3 on three nodes), or -Shard CircleCI in a job with parallelism."),
        Of(OneTargetOnly, ErrorCategory.InvalidArgument, "Pass one database or environment; Invoke-Migration, Undo-Migration, Get-MigrationStatus, Test-MigrationSafety, Export-MigrationSchema and Test-MigrationDrift (live) take many."),
        Of(InvalidPlanFile, ErrorCategory.InvalidData, "Pass the file Invoke-Migration -WhatIf -PlanPath wrote, unchanged."),
        Of(PlanChanged, ErrorCategory.InvalidOperation, "Make and review the plan again (Invoke-Migration -WhatIf -PlanPath plan.json), then apply the new one."),
        Of(PipedRowsOfAnotherTarget, ErrorCategory.InvalidArgument,
            "Say where to run with -Database or -Environment, such as the rows' own: Get-MigrationStatus -Environment tenants | Where-Object ... | Undo-Migration -Environment tenants."),

        // Test-MigrationSafety -Trace.
        Of(TraceWithoutDatabase, ErrorCategory.InvalidArgument, "Name the database whose pending migrations to trace (-Database or -Environment): its applied migrations are replayed into a scratch copy."),
        Of(TraceNotSupported, ErrorCategory.InvalidArgument, "Name a -TraceServer of the database's kind (or none), or leave -Trace out: the static rules still apply."),
        Of(TraceFailed, ErrorCategory.InvalidData, "Fix the statement the error names (it would fail on the target too), or add what the scratch copy lacks (roles, extensions, data the migration needs) through a migration."),
        Of(FleetTargetsFailed, ErrorCategory.InvalidResult, "Fix the targets the errors before this one name, then run the command again on them (or on the whole list: done targets have nothing to do)."),

        // Raised by the cmdlets as ErrorRecords of their own.
        UnsafeMigration,
        UnsupportedReportInput,
        SchemaDriftFound,
        SchemaFileOutOfDate,
        RoundTripFailed,
        InvalidReportFile,
    ];

    private static readonly FrozenDictionary<string, ErrorEntry> ById = Entries.ToFrozenDictionary(entry => entry.Id, StringComparer.Ordinal);

    /// <summary>The entry of an engine error; every id of <see cref="MigrationErrors"/> has one (a test holds them together).</summary>
    public static ErrorEntry For(MigrationError error) =>
        ById.TryGetValue(error.Id, out var entry) ? entry : new ErrorEntry(error.Id, ErrorCategory.NotSpecified, string.Empty);

    private static ErrorEntry Of(MigrationError error, ErrorCategory category, string recommendedAction) => new(error.Id, category, recommendedAction);
}
