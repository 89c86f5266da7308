using System.Management.Automation;
using System.Text;
using TradingBot.Migrations.Engine;
using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Errors;
using EngineFinding = TradingBot.Migrations.Engine.Safety.SafetyFinding;
using EngineSeverity = TradingBot.Migrations.Engine.Safety.SafetySeverity;

namespace TradingBot.Migrations.Commands;

/// <summary>Finds unsafe changes in migration scripts before they reach production.</summary>
/// <remarks>
/// <para>Lints the pending migrations (every migration without a database, or with -All; the named ones with -Version) with a
/// real SQL lexer and one rule per hazard: destructive statements, table rewrites and long locks, validating constraints,
/// non-concurrent index builds, renames that break running code, missing lock timeouts, transaction misuse, missing or
/// lossy down scripts. Each finding names the rule, severity, file, line and statement, why it is unsafe and the safe alternative.</para>
/// <para>With a database (-Database, -Environment or $env:DATABASE_URL) the dialect comes from it and "pending" means not yet applied;
/// without one, -Dialect says which rules apply (default PostgreSql). With a database it also checks the live schema: tables
/// without a primary key, foreign keys without an index, orphaned rows, invalid indexes, history health (Failed, Modified,
/// Missing, out-of-order), and for each pending statement that locks an existing table, the table's rows and size and the lock
/// it takes (lock-impact), with a severity that rises with the size.</para>
/// <para>A finding is suppressed in the script with a comment naming the rule and a reason:
/// -- safety: ignore drop-column reason: unused since 2026-10. Suppressed findings are still emitted, marked Suppressed.</para>
/// <para>-RollbackTo checks the range Undo-Migration would run instead, on the database Undo-Migration would find (-Database,
/// -Environment, $env:DATABASE_URL, DefaultEnvironment, else ./dev.db): only applied migrations, PowerShell ones included (the
/// constant SQL their Down passes to $Migration). Each down is classified Lossless, Lossy, Irreversible or Unknown (a PowerShell
/// Down that builds its SQL when it runs).
/// -Trace also runs the pending migrations on a scratch database (never the target): see the -Trace parameter.
/// -FailOn turns findings at or above a severity into a terminating error (for CI); -Quiet returns one boolean;
/// -JUnitPath, -JsonPath and -MarkdownPath write reports for CI (Markdown for a pull-request comment).</para>
/// </remarks>
/// <example>
/// <code>Test-MigrationSafety -All -Dialect PostgreSql</code>
/// <para>Lints every migration in ./migrations with the PostgreSQL rules.</para>
/// </example>
/// <example>
/// <code>$ErrorActionPreference = 'Stop'; Test-MigrationSafety -Database $env:QA_DATABASE_URL -FailOn Error -JUnitPath ./test-results/safety.xml</code>
/// <para>In CI: lints what is pending on QA, writes JUnit XML for the test tab, and fails the step on any unsuppressed Error.</para>
/// </example>
/// <example>
/// <code>Test-MigrationSafety -Environment qa -Trace | Where-Object { $_.Trace -or $_.Locks }</code>
/// <para>Runs QA's pending migrations on a scratch copy of its schema, shows each statement's locks and rewrites, and which
/// lock findings the trace confirmed or refuted, with how long QA's traffic would wait.</para>
/// </example>
/// <example>
/// <code>Test-MigrationSafety -RollbackTo 1.0.1 | Where-Object Kind -ne Lossless</code>
/// <para>Shows which downs of a rollback to 1.0.1 would lose data, and what.</para>
/// </example>
/// <returns>Boolean: with -Quiet, only one Boolean, $true when no unsuppressed finding is at or above -FailOn (Error by default).</returns>
[Cmdlet(VerbsDiagnostic.Test, "MigrationSafety", DefaultParameterSetName = PendingSet)]
[OutputType(typeof(SafetyFinding), typeof(TracedStatement), typeof(RollbackAssessment), typeof(bool))]
public sealed class TestMigrationSafetyCommand : FleetCmdletBase
{
    private const string PendingSet = "Pending";
    private const string AllSet = "All";
    private const string RollbackSet = "Rollback";

    /// <summary>Lint only these versions.</summary>
    [Parameter(ParameterSetName = PendingSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string[]? Version { get; set; }

    /// <summary>Lint every migration in the folder, applied or not.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Check the downs Undo-Migration -TargetVersion would run on the same database, and classify each as Lossless, Lossy, Irreversible or Unknown.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RollbackSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.MigrationVersionCompleter))]
    public string? RollbackTo { get; set; }

    /// <summary>Which rules apply when there is no database: PostgreSql (the default) or Sqlite.</summary>
    [Parameter]
    [ValidateSet("PostgreSql", "Sqlite")]
    public string Dialect { get; set; } = "PostgreSql";

    /// <summary>Raise a terminating error when an unsuppressed finding is at or above this severity (Error or Warning).</summary>
    [Parameter]
    [ValidateSet("Error", "Warning")]
    public string? FailOn { get; set; }

    /// <summary>Return only $true (no unsuppressed finding at or above -FailOn, Error by default) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>
    /// Also run each migration linted on a scratch database (needs -Database or -Environment): the applied migrations
    /// replayed into it, then each pending statement in a transaction that is rolled back, recording the locks it took (pg_locks),
    /// whether it rewrote a table and how long it ran. Emits a TracedStatement per statement; lock and rewrite findings carry Trace
    /// (Confirmed or Refuted) and, from the live table's size, EstimatedWait; a lock no rule predicted is an unpredicted-lock finding.
    /// On SQLite, which has no per-table locks, it reports which statements scan a table and which rebuild one.
    /// </summary>
    [Parameter(ParameterSetName = PendingSet)]
    [Parameter(ParameterSetName = AllSet)]
    public SwitchParameter Trace { get; set; }

    /// <summary>
    /// With -Trace: make the scratch database on this PostgreSQL server (a URL, connection string or environment name) instead of
    /// the target's, for a target whose user lacks CREATEDB. Its database only says where to connect (postgres://tracer@host/postgres);
    /// its user needs CREATEDB there, and the server the roles and extensions the migrations use, on the target's major version
    /// (not checked). -Credential applies to it too. Refused when it names the target database itself, another kind, or an SQLite target.
    /// </summary>
    [Parameter(ParameterSetName = PendingSet)]
    [Parameter(ParameterSetName = AllSet)]
    [ValidateNotNullOrEmpty]
    public string? TraceServer { get; set; }

    /// <summary>Also write the findings as JUnit XML to this file (for CircleCI's test tab).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JUnitPath { get; set; }

    /// <summary>Also write the findings as JSON to this file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JsonPath { get; set; }

    /// <summary>Also write a Markdown summary to this file, for a pull-request comment: the findings, and with -Trace each statement's locks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MarkdownPath { get; set; }

    private readonly List<string> versions = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<(EngineFinding Finding, string? Target)> failing = new();

    protected override void ProcessRecord()
    {
        if (Version is not null)
        {
            versions.AddRange(Version);
        }

        base.ProcessRecord();
    }

    // A database is named (-Database, -Environment, $env:DATABASE_URL); otherwise lint the files alone. A rollback check always
    // reads the database Undo-Migration would roll back, found as Undo-Migration finds it: only its history says what would run.
    // Many databases are checked as a fleet, every one of them; -FailOn and -Quiet then judge all their findings together.
    protected override void EndProcessing()
    {
        if (UsesDatabase)
        {
            ForEachTarget("Checking migration safety", targets =>
            {
                if ((JUnitPath ?? JsonPath ?? MarkdownPath) is not null)
                {
                    RefuseMany(targets, $"{(JUnitPath is not null ? "-JUnitPath" : JsonPath is not null ? "-JsonPath" : "-MarkdownPath")} writes one database's report",
                        ", or leave the report out: each finding's Target names its database");
                }
            }, (target, run) => Check(Request(CreateSettings(target, readOnly: true)), target.Target.DisplayName, run?.Cancellation ?? Cancellation));
        }
        else
        {
            Guard(() => Check(Request(null), null, Cancellation));
        }

        Finish();
    }

    private void Check(SafetyCheckRequest request, string? target, CancellationToken cancellation)
    {
        var result = MigrationUseCases.CheckSafety(request, cancellation);
        WriteReports(result);
        foreach (var assessment in result.Rollback ?? [])
        {
            if (!Quiet)
            {
                WriteObject(new RollbackAssessment(new MigrationVersion(assessment.Version), assessment.Kind.ToOutput())
                {
                    Name = assessment.Name,
                    Losses = assessment.Losses.ToArray(),
                    Findings = assessment.Findings.Select(f => ToOutput(f, target)).ToArray(),
                    Target = target,
                });
            }
        }

        foreach (var finding in result.Failing)
        {
            failing.Enqueue((finding, target));
        }

        if (!Quiet && result.Rollback is null)
        {
            foreach (var traced in result.Traces)
            {
                WriteObject(TracedStatement.From(traced));
            }

            foreach (var finding in result.Findings)
            {
                WriteObject(ToOutput(finding, target));
            }
        }
    }

    private SafetyCheckRequest Request(EngineSettings? settings)
    {
        var request = settings is not null
            ? SafetyCheckRequest.OfDatabase(settings)
            : SafetyCheckRequest.OfFiles(ResolveMigrationsFolder(), new Hosting.PowerShellScriptInspector(), Enum.Parse<SqlDialect>(Dialect));
        return request with
        {
            Versions = versions,
            All = ParameterSetName == AllSet,
            RollbackTo = ParameterSetName == RollbackSet ? RollbackTo : null,
            FailAt = FailOn == "Warning" ? EngineSeverity.Warning : EngineSeverity.Error,
            Trace = Trace,
            TraceServer = TraceServer is null ? null : SettingsFor(TraceServer, readOnly: true).Target,
            RenderJUnit = JUnitPath is not null,
            RenderJson = JsonPath is not null,
            RenderMarkdown = MarkdownPath is not null,
        };
    }

    private bool UsesDatabase => ParameterSetName == RollbackSet ||
        !Targets.IsEmpty || !string.IsNullOrWhiteSpace(System.Environment.GetEnvironmentVariable(DatabaseUrlVariable));

    private void Finish()
    {
        var found = failing.ToList();
        if (Quiet)
        {
            WriteObject(found.Count == 0);
            return;
        }

        if (FailOn is not null && found.Count > 0)
        {
            var targets = found.Select(f => f.Target).Distinct().Count();
            var summary = string.Join("; ", found.Take(5).Select(f =>
                $"{f.Finding.Version} {f.Finding.Rule} ({System.IO.Path.GetFileName(f.Finding.File)}{(f.Finding.Line is null ? string.Empty : $":{f.Finding.Line}")})" +
                (targets > 1 ? $" on {f.Target}" : string.Empty)));
            ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.UnsafeMigration,
                $"{found.Count} unsuppressed finding(s) at or above {FailOn}{(targets > 1 ? $" on {targets} targets" : string.Empty)}: {summary}{(found.Count > 5 ? "; ..." : string.Empty)}",
                found[0].Finding.Version));
        }
    }

    private void WriteReports(SafetyCheckResult result)
    {
        if (JUnitPath is not null)
        {
            Write(JUnitPath, result.JUnitXml!);
        }

        if (JsonPath is not null)
        {
            Write(JsonPath, result.Json!);
        }

        if (MarkdownPath is not null)
        {
            Write(MarkdownPath, result.Markdown!);
        }
    }

    private void Write(string path, string content)
    {
        var fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, content, new UTF8Encoding(false));
        WriteVerbose($"Wrote {fullPath}");
    }

    private static SafetyFinding ToOutput(EngineFinding finding, string? target) => new(
        finding.Severity.ToOutput(),
        string.IsNullOrEmpty(finding.Version) ? null : new MigrationVersion(finding.Version))
    {
        Rule = finding.Rule,
        Name = finding.MigrationName,
        Script = string.IsNullOrEmpty(finding.Version) ? "Live" : finding.Script.ToString(),
        File = finding.File,
        Line = finding.Line,
        Statement = finding.Statement,
        Message = finding.Message,
        Remedy = finding.Remedy,
        Suppressed = finding.Suppressed,
        SuppressionReason = finding.SuppressionReason,
        Target = target,
        Trace = finding.Trace?.ToString(),
        TypedEstimatedWait = finding.EstimatedWait,
    };
}
