namespace TradingBot.Migrations.Engine;

/// <summary>One error the module raises on purpose: its stable id (scripts match on it) and the kind of failure it is.</summary>
public sealed record MigrationError(string Id, MigrationErrorKind Kind);

/// <summary>
/// Every id a <see cref="MigrationException"/> can carry, each with its one kind. Raise sites name an entry here, never
/// a literal; the cmdlets' ErrorCatalogue gives each id its ErrorCategory and default recommended action. An id, once
/// released, never changes: the README's table lists them all.
/// </summary>
public static class MigrationErrors
{
    // Migration files and folders.
    public static readonly MigrationError InvalidMigrationFileName = new(nameof(InvalidMigrationFileName), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError InvalidMigrationVersion = new(nameof(InvalidMigrationVersion), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError DuplicateMigrationVersion = new(nameof(DuplicateMigrationVersion), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError MixedMigrationKinds = new(nameof(MixedMigrationKinds), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError DownWithoutUp = new(nameof(DownWithoutUp), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError PowerShellMigrationWithoutUp = new(nameof(PowerShellMigrationWithoutUp), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError PowerShellMigrationParseError = new(nameof(PowerShellMigrationParseError), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError FileUnreadable = new(nameof(FileUnreadable), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError FileHasNulBytes = new(nameof(FileHasNulBytes), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError FileNotUtf8 = new(nameof(FileNotUtf8), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError MigrationFileChanged = new(nameof(MigrationFileChanged), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError InvalidDirective = new(nameof(InvalidDirective), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError EmptyMigrationScript = new(nameof(EmptyMigrationScript), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError TransactionControlInMigration = new(nameof(TransactionControlInMigration), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError MigrationsFolderNotFound = new(nameof(MigrationsFolderNotFound), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError MigrationsFolderUnreadable = new(nameof(MigrationsFolderUnreadable), MigrationErrorKind.ResourceUnavailable);

    // New-Migration.
    public static readonly MigrationError InvalidMigrationName = new(nameof(InvalidMigrationName), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError MigrationVersionExists = new(nameof(MigrationVersionExists), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError PathOutsideFolder = new(nameof(PathOutsideFolder), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError MigrationFileNotWritten = new(nameof(MigrationFileNotWritten), MigrationErrorKind.ResourceUnavailable);

    // Parameters.
    public static readonly MigrationError InvalidTargetVersion = new(nameof(InvalidTargetVersion), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError InvalidVersion = new(nameof(InvalidVersion), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError InvalidRepairVersion = new(nameof(InvalidRepairVersion), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError RepairVersionRequired = new(nameof(RepairVersionRequired), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError InvalidHistoryTableName = new(nameof(InvalidHistoryTableName), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError UnsupportedDatabase = new(nameof(UnsupportedDatabase), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError UnknownEnvironment = new(nameof(UnknownEnvironment), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError ConfigurationFileNotFound = new(nameof(ConfigurationFileNotFound), MigrationErrorKind.InvalidArgument);

    // The database a target names.
    public static readonly MigrationError EmptyDatabase = new(nameof(EmptyDatabase), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError UnknownDatabaseScheme = new(nameof(UnknownDatabaseScheme), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError UnrecognisedDatabase = new(nameof(UnrecognisedDatabase), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError InvalidPostgresUrl = new(nameof(InvalidPostgresUrl), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError InvalidPostgresUrlOption = new(nameof(InvalidPostgresUrlOption), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError InvalidConnectionString = new(nameof(InvalidConnectionString), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError ConnectionStringWithoutHost = new(nameof(ConnectionStringWithoutHost), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError EmptySqlitePath = new(nameof(EmptySqlitePath), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError SqliteFolderNotFound = new(nameof(SqliteFolderNotFound), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError CredentialWithPassword = new(nameof(CredentialWithPassword), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError CredentialUserMismatch = new(nameof(CredentialUserMismatch), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError CredentialNotSupported = new(nameof(CredentialNotSupported), MigrationErrorKind.InvalidTarget);
    public static readonly MigrationError EnvironmentVariableNotSet = new(nameof(EnvironmentVariableNotSet), MigrationErrorKind.InvalidTarget);

    // migrations.psd1.
    public static readonly MigrationError InvalidConfigurationFile = new(nameof(InvalidConfigurationFile), MigrationErrorKind.InvalidConfiguration);
    public static readonly MigrationError ConfigurationFileUnreadable = new(nameof(ConfigurationFileUnreadable), MigrationErrorKind.InvalidConfiguration);
    public static readonly MigrationError UnknownConfigurationKey = new(nameof(UnknownConfigurationKey), MigrationErrorKind.InvalidConfiguration);
    public static readonly MigrationError DuplicateConfigurationKey = new(nameof(DuplicateConfigurationKey), MigrationErrorKind.InvalidConfiguration);
    public static readonly MigrationError InvalidConfigurationValue = new(nameof(InvalidConfigurationValue), MigrationErrorKind.InvalidConfiguration);
    public static readonly MigrationError MissingConfigurationValue = new(nameof(MissingConfigurationValue), MigrationErrorKind.InvalidConfiguration);

    // Plans refused before anything runs.
    public static readonly MigrationError UnknownTargetVersion = new(nameof(UnknownTargetVersion), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError UnknownVersion = new(nameof(UnknownVersion), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError UnknownRepairVersion = new(nameof(UnknownRepairVersion), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError FailedMigrationBlocks = new(nameof(FailedMigrationBlocks), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError ModifiedMigrationBlocks = new(nameof(ModifiedMigrationBlocks), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError OutOfOrderMigrationBlocks = new(nameof(OutOfOrderMigrationBlocks), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError TargetBelowApplied = new(nameof(TargetBelowApplied), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError NoScriptForDialect = new(nameof(NoScriptForDialect), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError MissingDownScript = new(nameof(MissingDownScript), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError NoRollbackTarget = new(nameof(NoRollbackTarget), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError InvalidCount = new(nameof(InvalidCount), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError RepairNotApplicable = new(nameof(RepairNotApplicable), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError NonInteractiveConfirmation = new(nameof(NonInteractiveConfirmation), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError ProtectedEnvironmentOverrideRefused = new(nameof(ProtectedEnvironmentOverrideRefused), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError ProtectedEnvironmentRequiresForce = new(nameof(ProtectedEnvironmentRequiresForce), MigrationErrorKind.PlanRefused);

    // Running migrations.
    public static readonly MigrationError MigrationFailed = new(nameof(MigrationFailed), MigrationErrorKind.MigrationFailed);
    public static readonly MigrationError PowerShellHostRequired = new(nameof(PowerShellHostRequired), MigrationErrorKind.MigrationFailed);
    public static readonly MigrationError MigrationCanceled = new(nameof(MigrationCanceled), MigrationErrorKind.Canceled);
    public static readonly MigrationError OperationCanceled = new(nameof(OperationCanceled), MigrationErrorKind.Canceled);
    public static readonly MigrationError MigrationLockTimeout = new(nameof(MigrationLockTimeout), MigrationErrorKind.LockTimeout);
    public static readonly MigrationError InvalidIndexBlocksMigration = new(nameof(InvalidIndexBlocksMigration), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError MigrationAppliedByAnotherRun = new(nameof(MigrationAppliedByAnotherRun), MigrationErrorKind.LockTimeout);

    // The database and its history table.
    public static readonly MigrationError ConnectionFailed = new(nameof(ConnectionFailed), MigrationErrorKind.ConnectionFailed);
    public static readonly MigrationError SqliteOpenFailed = new(nameof(SqliteOpenFailed), MigrationErrorKind.ConnectionFailed);
    public static readonly MigrationError DatabaseError = new(nameof(DatabaseError), MigrationErrorKind.ResourceUnavailable);
    public static readonly MigrationError SqliteError = new(nameof(SqliteError), MigrationErrorKind.ResourceUnavailable);
    public static readonly MigrationError SqliteDatabaseReadOnly = new(nameof(SqliteDatabaseReadOnly), MigrationErrorKind.ResourceUnavailable);
    public static readonly MigrationError HistoryVersionInvalid = new(nameof(HistoryVersionInvalid), MigrationErrorKind.HistoryCorrupt);

    // Test-MigrationSafety.
    public static readonly MigrationError RollbackCheckWithoutDatabase = new(nameof(RollbackCheckWithoutDatabase), MigrationErrorKind.InvalidArgument);

    // Schema export and drift.
    public static readonly MigrationError InvalidSchemaFile = new(nameof(InvalidSchemaFile), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError SchemaFileNotFound = new(nameof(SchemaFileNotFound), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError SchemaDialectMismatch = new(nameof(SchemaDialectMismatch), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError ScratchDatabaseFailed = new(nameof(ScratchDatabaseFailed), MigrationErrorKind.ResourceUnavailable);
    public static readonly MigrationError AppliedMigrationMissing = new(nameof(AppliedMigrationMissing), MigrationErrorKind.PlanRefused);

    // Adoption: Import-MigrationHistory and Set-MigrationBaseline.
    public static readonly MigrationError SourceFolderNotFound = new(nameof(SourceFolderNotFound), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError UnconvertibleMigration = new(nameof(UnconvertibleMigration), MigrationErrorKind.InvalidMigrationFile);
    public static readonly MigrationError SourceHistoryNotFound = new(nameof(SourceHistoryNotFound), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError SourceVersionWithoutFile = new(nameof(SourceVersionWithoutFile), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError ImportFileConflict = new(nameof(ImportFileConflict), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError HistoryTableTaken = new(nameof(HistoryTableTaken), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError InvalidBaselineVersion = new(nameof(InvalidBaselineVersion), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError UnknownBaselineVersion = new(nameof(UnknownBaselineVersion), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError BaselineNotApplicable = new(nameof(BaselineNotApplicable), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError BaselineContradictsSchema = new(nameof(BaselineContradictsSchema), MigrationErrorKind.PlanRefused);

    // Fleets: many targets in one run.
    public static readonly MigrationError InvalidShard = new(nameof(InvalidShard), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError OneTargetOnly = new(nameof(OneTargetOnly), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError FleetTargetsFailed = new(nameof(FleetTargetsFailed), MigrationErrorKind.MigrationFailed);
    public static readonly MigrationError InvalidPlanFile = new(nameof(InvalidPlanFile), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError PlanChanged = new(nameof(PlanChanged), MigrationErrorKind.PlanRefused);
    public static readonly MigrationError PipedRowsOfAnotherTarget = new(nameof(PipedRowsOfAnotherTarget), MigrationErrorKind.InvalidArgument);

    // Test-MigrationSafety -Trace: the lock trace on a scratch database.
    public static readonly MigrationError TraceWithoutDatabase = new(nameof(TraceWithoutDatabase), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError TraceNotSupported = new(nameof(TraceNotSupported), MigrationErrorKind.InvalidArgument);
    public static readonly MigrationError TraceFailed = new(nameof(TraceFailed), MigrationErrorKind.MigrationFailed);
}
