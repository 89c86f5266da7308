using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Repair;

namespace TradingBot.Migrations.Engine.Safety.Trace;

/// <summary>
/// The lock trace of Test-MigrationSafety -Trace: a scratch database beside the target (or on the server the user names;
/// on SQLite a copy of the target), the migrations it lacks replayed into it in version order, and each one to trace run first through the dialect's tracer, then
/// applied for the next to build on. The scratch database is dropped when done, on failure and on cancellation; the target
/// is only ever read (for its migrations' files and, later, its table sizes).
/// </summary>
internal static class LockTrace
{
    public static IReadOnlyList<TracedStatement> Run(EngineSettings target, IReadOnlySet<string> versions, DatabaseTarget? server, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(versions);
        var dialect = DatabaseDialects.For(target.Target.Dialect);
        if (server is not null && server.Dialect != target.Target.Dialect)
        {
            throw new MigrationException(MigrationErrors.TraceNotSupported,
                $"-TraceServer {server.DisplayName} is {server.Dialect} and the database {target.Target.DisplayName} is {target.Target.Dialect}: the trace replays the migrations on a server of the same kind.")
            {
                RecommendedAction = "Name a server of the database's kind in -TraceServer, or leave it out to use the database's own server.",
            };
        }

        if (server is not null && Place(server) == Place(target.Target))
        {
            throw new MigrationException(MigrationErrors.TraceNotSupported,
                $"-TraceServer {server.DisplayName} names the database {target.Target.DisplayName} itself: it names the server to make the scratch database on, which the trace replays the migrations into instead of the target.")
            {
                RecommendedAction = "Leave -TraceServer out to make the scratch database beside the target, or name another database (postgres://user@host:port/postgres) on the server to make it on.",
            };
        }

        using var scratch = dialect.CreateTraceScratch(target.Target, server, cancellation);
        var traced = new List<TracedStatement>();
        using (var engine = MigrationEngine.Open(target with { Target = scratch.Target, ReadOnly = false }, cancellation))
        using (var tracer = dialect.OpenLockTracer(scratch.Target, cancellation))
        {
            var sql = engine.Session.Dialect;
            var toTrace = engine.Catalog.Migrations.Where(m => versions.Contains(m.Version.Text)).ToList();
            // Applied in runs: everything up to the next migration to trace goes in one Migrate.
            MigrationVersion? applyUpTo = null;
            foreach (var migration in toTrace.Count == 0 ? [] : engine.Catalog.Migrations.TakeWhile(m => m.Version.CompareTo(toTrace[^1].Version) <= 0))
            {
                if (!toTrace.Contains(migration) || migration.Kind != MigrationKind.Sql || migration.UpFor(sql) is not { } up)
                {
                    applyUpTo = migration.Version;
                    continue;
                }

                if (applyUpTo is not null)
                {
                    Apply(engine, applyUpTo, cancellation);
                    applyUpTo = null;
                }

                var inTransaction = up.Directives.RunsInTransaction;
                traced.AddRange(tracer.Trace(new TraceScript(migration.Version.Text, migration.Name, up.Path, up.StatementsFor(sql), inTransaction), cancellation));
                if (inTransaction)
                {
                    applyUpTo = migration.Version;
                }
                else
                {
                    // Without a transaction the trace has made the migration's changes already: only its history row is missing.
                    engine.Repair(RepairAction.MarkApplied, migration.Version, _ => true, cancellation);
                }
            }
        }

        scratch.Drop();
        return traced;
    }

    // Where a target is, whoever connects: postgres://user@host:port/db less its user, or the SQLite file's path.
    private static string Place(DatabaseTarget target) =>
        Regex.Replace(target.DisplayName, "^([a-z]+://)[^@/]*@", "$1", RegexOptions.IgnoreCase);

    private static void Apply(MigrationEngine engine, MigrationVersion version, CancellationToken cancellation) =>
        engine.Migrate(new UpOptions(version, AllowModified: true, AllowOutOfOrder: true), NullMigrationObserver.Instance, null, cancellation);
}
