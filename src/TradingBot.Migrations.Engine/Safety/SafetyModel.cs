using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety;

public enum SafetySeverity
{
    Info,
    Warning,
    Error,
}

public enum MigrationScript
{
    Up,
    Down,
}

/// <summary>Which dialects a rule applies to.</summary>
[Flags]
internal enum RuleDialects
{
    None = 0,
    PostgreSql = 1,
    Sqlite = 2,
    Both = PostgreSql | Sqlite,
}

/// <summary>
/// One migration as the safety rules see it: the catalog maps its files onto this. A null
/// <see cref="DownSql"/> means there is no down script.
/// </summary>
internal sealed record SafetyMigration
{
    public required string Version { get; init; }

    public string Name { get; init; } = string.Empty;

    public string? UpPath { get; init; }

    public required string UpSql { get; init; }

    public string? DownPath { get; init; }

    public string? DownSql { get; init; }

    public bool UpRunsInTransaction { get; init; } = true;

    public bool DownRunsInTransaction { get; init; } = true;

    public SqlDialect Dialect { get; init; } = SqlDialect.PostgreSql;

    /// <summary>
    /// The calls of a PowerShell migration's Down whose SQL is only built when it runs, by line in the .ps1 (a null line: the
    /// whole block could not be read). <see cref="DownSql"/> holds the rest, the constant SQL.
    /// </summary>
    public IReadOnlyList<int?> UnreadableDownCalls { get; init; } = [];

    /// <summary>Builds a migration from script text, reading each script's <c>-- transaction:</c> directive as the runner does.</summary>
    public static SafetyMigration FromScripts(string version, string upSql, string? downSql = null, SqlDialect dialect = SqlDialect.PostgreSql, string name = "") => new()
    {
        Version = version,
        Name = name,
        UpSql = upSql,
        DownSql = downSql,
        Dialect = dialect,
        UpRunsInTransaction = ScriptDirectives.ParseOrDefault(upSql).RunsInTransaction,
        DownRunsInTransaction = downSql is null || ScriptDirectives.ParseOrDefault(downSql).RunsInTransaction,
    };
}

/// <summary>One problem found in one script. Suppressed findings are still reported, marked as such.</summary>
public sealed record SafetyFinding
{
    public required string Rule { get; init; }

    public required SafetySeverity Severity { get; init; }

    public required string Version { get; init; }

    public string MigrationName { get; init; } = string.Empty;

    public required MigrationScript Script { get; init; }

    public string? File { get; init; }

    /// <summary>1-based line of the statement in its file; null for a finding about the script as a whole.</summary>
    public int? Line { get; init; }

    public string? Statement { get; init; }

    public required string Message { get; init; }

    public required string Remedy { get; init; }

    public bool Suppressed { get; init; }

    public string? SuppressionReason { get; init; }

    /// <summary>With -Trace, for a finding about a statement's lock or rewrite: whether the trace saw it (null: not checked).</summary>
    public Trace.TraceVerdict? Trace { get; init; }

    /// <summary>With -Trace and the live table's size: about how long the application's reads or writes of the table would wait.</summary>
    public TimeSpan? EstimatedWait { get; init; }
}

internal sealed record SafetyOptions
{
    public static SafetyOptions Default { get; } = new();

    /// <summary>
    /// When set, findings are returned only for these versions; the other migrations passed in are still
    /// read, in order, so that what earlier migrations created (tables, column types, validated checks) is known.
    /// </summary>
    public IReadOnlySet<string>? ReportVersions { get; init; }

    /// <summary>Rule ids not to run at all (a project-wide opt-out; per-migration opt-outs are suppression comments).</summary>
    public IReadOnlySet<string>? DisabledRules { get; init; }

    /// <summary>The migrator sets a non-zero lock_timeout on its connection, so scripts need not (missing-lock-timeout is satisfied).</summary>
    public bool MigratorSetsLockTimeout { get; init; }

    /// <summary>The migrator sets a non-zero statement_timeout on its connection (missing-statement-timeout is satisfied).</summary>
    public bool MigratorSetsStatementTimeout { get; init; }

    /// <summary>Findings below this severity are not returned.</summary>
    public SafetySeverity MinimumSeverity { get; init; } = SafetySeverity.Info;
}
