using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Safety.Reports;
using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>What Test-MigrationSafety asks: which migrations to lint, against what, and which reports to render.</summary>
public sealed record SafetyCheckRequest
{
    private SafetyCheckRequest(string migrationsFolder, IPowerShellScriptInspector? inspector, SqlDialect dialect, EngineSettings? database)
    {
        MigrationsFolder = migrationsFolder;
        PowerShellInspector = inspector;
        Dialect = dialect;
        Database = database;
    }

    /// <summary>The files alone: <paramref name="dialect"/> says which rules apply.</summary>
    public static SafetyCheckRequest OfFiles(string migrationsFolder, IPowerShellScriptInspector? inspector, SqlDialect dialect) =>
        new(migrationsFolder, inspector, dialect, null);

    /// <summary>With a database: the dialect, "pending" and the live checks come from it (opened read-only).</summary>
    public static SafetyCheckRequest OfDatabase(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.MigrationsFolder, settings.PowerShellInspector, SqlDialect.PostgreSql, settings with { ReadOnly = true });
    }

    public string MigrationsFolder { get; }

    public IPowerShellScriptInspector? PowerShellInspector { get; }

    public SqlDialect Dialect { get; }

    public EngineSettings? Database { get; }

    /// <summary>Lint only these versions (as given; parsed once the folder is read). Empty: what is pending.</summary>
    public IReadOnlyList<string> Versions { get; init; } = [];

    /// <summary>Lint every migration in the folder, applied or not.</summary>
    public bool All { get; init; }

    /// <summary>Check the downs a rollback to this version (as given) would run instead: needs the database, whose history says which.</summary>
    public string? RollbackTo { get; init; }

    /// <summary>Unsuppressed findings at or above this severity fail the check.</summary>
    public SafetySeverity FailAt { get; init; } = SafetySeverity.Error;

    /// <summary>Also run each migration linted on a scratch database and record what each statement locks, scans and rewrites (needs the database).</summary>
    public bool Trace { get; init; }

    /// <summary>The server to make the trace's scratch database on; null: the target's server.</summary>
    public DatabaseTarget? TraceServer { get; init; }

    public bool RenderJUnit { get; init; }

    public bool RenderJson { get; init; }

    /// <summary>Render a Markdown summary (for a pull-request comment): the findings, and with -Trace the lock trace.</summary>
    public bool RenderMarkdown { get; init; }
}

/// <summary>
/// The findings in the order to emit them; with -RollbackTo also each down's assessment (newest first, and the findings are
/// theirs); the unsuppressed findings at or above the threshold; and the reports asked for.
/// </summary>
public sealed record SafetyCheckResult(
    IReadOnlyList<SafetyFinding> Findings,
    IReadOnlyList<RollbackClassification>? Rollback,
    IReadOnlyList<SafetyFinding> Failing,
    string? JUnitXml,
    string? Json)
{
    /// <summary>With -Trace: each statement as the trace ran it, in run order.</summary>
    public IReadOnlyList<TracedStatement> Traces { get; init; } = [];

    public string? Markdown { get; init; }
}

/// <summary>The safety check: catalog, rules, live checks over the schema, rollback safety and reports, in one place for every host.</summary>
internal static class SafetyCheck
{
    public static SafetyCheckResult Run(SafetyCheckRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var engine = request.Database is null ? null : MigrationEngine.Open(request.Database, cancellation);
        var catalog = engine?.Catalog ?? MigrationCatalog.Load(request.MigrationsFolder, request.PowerShellInspector);
        var dialect = engine?.Session.Dialect ?? request.Dialect;
        var status = engine?.GetStatus(cancellation);
        if (request.RollbackTo is not null)
        {
            var inspector = request.Database?.PowerShellInspector ?? request.PowerShellInspector;
            return Rollback(request, CatalogSafetyInputs.From(catalog, dialect, powerShell: true, inspector), status, dialect);
        }

        var inputs = CatalogSafetyInputs.From(catalog, dialect);
        var report = request.All ? null : ReportVersions(request, status);
        IReadOnlyList<SafetyFinding> findings = SafetyAnalyzer.Analyze(inputs, Options(request, report)).Concat(Live(engine, inputs, status, report, cancellation)).ToList();
        var linted = report ?? inputs.Select(i => i.Version).ToHashSet();
        if (!request.Trace)
        {
            return request.TraceServer is null
                ? Result(request, findings, null, linted)
                : throw new MigrationException(MigrationErrors.TraceNotSupported, $"-TraceServer {request.TraceServer.DisplayName} is where -Trace makes its scratch database, and -Trace is not given.")
                {
                    RecommendedAction = "Add -Trace to trace the migrations on that server, or leave -TraceServer out.",
                };
        }

        if (engine is null)
        {
            throw new MigrationException(MigrationErrors.TraceWithoutDatabase,
                "-Trace replays the applied migrations of a database into a scratch copy and reads its table sizes: name the database (-Database or -Environment).");
        }

        var traces = LockTrace.Run(request.Database!, linted, request.TraceServer, cancellation);
        var sizes = new Dictionary<string, TableSize?>(StringComparer.Ordinal);
        findings = TraceVerdicts.Apply(findings, StatementImpacts.For(inputs, report), traces,
            table => sizes.TryGetValue(table, out var size) ? size : sizes[table] = engine.Session.Schema.SizeOf(table, cancellation));
        return Result(request, findings, null, linted, traces);
    }

    // With a database: history health, schema integrity, and the size of every table a pending statement locks.
    private static List<SafetyFinding> Live(MigrationEngine? engine, IReadOnlyList<SafetyMigration> inputs, IReadOnlyList<MigrationStatusEntry>? status,
        IReadOnlySet<string>? report, CancellationToken cancellation)
    {
        if (engine is null || status is null)
        {
            return [];
        }

        var impacts = StatementImpacts.For(inputs, report);
        return LiveChecks.Run(engine.Session.Schema, status, impacts, engine.Session.History.Table.Table, cancellation).ToList();
    }

    // An environment that sets PostgreSQL timeouts for every migration makes the in-script SET unnecessary.
    private static SafetyOptions Options(SafetyCheckRequest request, IReadOnlySet<string>? report) => new()
    {
        ReportVersions = report,
        MigratorSetsLockTimeout = request.Database?.DefaultLockTimeout is not null,
        MigratorSetsStatementTimeout = request.Database?.DefaultStatementTimeout is not null,
    };

    private static HashSet<string> ReportVersions(SafetyCheckRequest request, IReadOnlyList<MigrationStatusEntry>? status)
    {
        if (request.Versions.Count > 0)
        {
            return request.Versions.Select(v => VersionArgument.Parse(v, "-Version", MigrationErrors.InvalidVersion).Text).ToHashSet();
        }

        return status is null ? [] : status.Where(s => s.State == MigrationState.Pending).Select(s => s.Version.Text).ToHashSet();
    }

    private static SafetyCheckResult Rollback(SafetyCheckRequest request, IReadOnlyList<SafetyMigration> inputs, IReadOnlyList<MigrationStatusEntry>? status, SqlDialect dialect)
    {
        var target = VersionArgument.Parse(request.RollbackTo!, "-RollbackTo", MigrationErrors.InvalidTargetVersion);
        if (status is null)
        {
            // Only the history says what is applied: every newer file would list pending ones a rollback never touches.
            throw new MigrationException(MigrationErrors.RollbackCheckWithoutDatabase,
                $"-RollbackTo {target} checks the downs Undo-Migration would run, and only the database's history says which: name the database.");
        }

        var range = MigrationPlanner.PlanDown(status, dialect, new DownOptions(TargetVersion: target, AllowModified: true))
            .Steps.Select(s => s.Migration.Version.Text).ToHashSet();
        var assessments = RollbackSafety.Classify(inputs, range).Reverse().ToList();
        return Result(request, assessments.SelectMany(a => a.Findings).ToList(), assessments, range);
    }

    private static SafetyCheckResult Result(SafetyCheckRequest request, IReadOnlyList<SafetyFinding> findings,
        IReadOnlyList<RollbackClassification>? rollback, IReadOnlyCollection<string> versionsLinted, IReadOnlyList<TracedStatement>? traces = null) => new(
        findings,
        rollback,
        findings.Where(f => !f.Suppressed && f.Severity >= request.FailAt).ToList(),
        request.RenderJUnit ? SafetyReport.ToJUnitXml(findings, versionsLinted, request.FailAt, traces) : null,
        request.RenderJson ? SafetyReport.ToJson(findings, traces) : null)
    {
        Traces = traces ?? [],
        Markdown = request.RenderMarkdown ? SafetyMarkdownReport.Render(findings, traces ?? [], request.FailAt) : null,
    };
}
