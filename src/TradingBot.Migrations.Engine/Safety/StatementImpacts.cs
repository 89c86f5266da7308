using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>A statement of a pending migration that locks (and perhaps scans or rewrites) a table that already exists.</summary>
internal sealed record StatementImpact(string Version, string Name, string? File, int Line, string Statement, string Table, string LockMode, bool ScansOrRewrites);

/// <summary>
/// Which statements of the given migrations lock existing tables, and how hard: the static half of the
/// performance-impact check; the live half (how big each table is) comes from the database.
/// </summary>
internal static class StatementImpacts
{
    public static IReadOnlyList<StatementImpact> For(IEnumerable<SafetyMigration> migrations, IReadOnlySet<string>? reportVersions)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var impacts = new List<StatementImpact>();
        var schema = new SchemaModel();
        foreach (var migration in migrations)
        {
            var up = ScriptContext.Build(migration, MigrationScript.Up, schema);
            if (reportVersions is null || reportVersions.Contains(migration.Version))
            {
                foreach (var statement in up.Statements)
                {
                    var scanned = Locks.ScansUnderStrongLock(up, statement);
                    var table = scanned ?? Locks.TakesStrongLock(up, statement) ?? WritesRows(up, statement);
                    if (table is not null && statement.Target is not null)
                    {
                        impacts.Add(new StatementImpact(migration.Version, migration.Name, migration.UpPath, statement.Statement.Line,
                            statement.Statement.Text, statement.Target.Display, LockMode(statement), scanned is not null));
                    }
                }
            }

            schema.Apply(up);
        }

        return impacts;
    }

    // UPDATE and DELETE on an existing table touch every matching row under ROW EXCLUSIVE.
    private static string? WritesRows(ScriptContext context, StatementInfo statement) =>
        statement.Kind is StatementKind.Update or StatementKind.Delete && statement.Target is { } table && !context.IsNewTable(table, statement.Index)
            ? table.Display
            : null;

    // LOCK t IN SHARE MODE: the words between IN and MODE (a trace showed the mode matters: SHARE does not block reads).
    private static string? LockStatementMode(StatementView view)
    {
        var mode = view.Find("MODE");
        var from = view.Find("IN");
        return from >= 0 && mode > from
            ? string.Join(' ', Enumerable.Range(from + 1, mode - from - 1).Where(i => view.Kind(i) == Sql.SqlTokenKind.Word).Select(i => view.Text(i).ToUpperInvariant()))
            : null;
    }

    private static string LockMode(StatementInfo statement) => statement.Kind switch
    {
        StatementKind.CreateIndex when statement.Concurrently => "SHARE UPDATE EXCLUSIVE",
        StatementKind.CreateIndex => "SHARE",
        StatementKind.Update or StatementKind.Delete => "ROW EXCLUSIVE",
        StatementKind.Lock => LockStatementMode(statement.View) ?? "ACCESS EXCLUSIVE",
        StatementKind.AlterTable when statement.Actions.Count > 0 && statement.Actions.All(a => a.Kind == AlterActionKind.ValidateConstraint) => "SHARE UPDATE EXCLUSIVE",
        StatementKind.AlterTable when statement.Actions.Count > 0 && statement.Actions.All(a => a.Kind == AlterActionKind.AddConstraint && a.Constraint == ConstraintKind.ForeignKey) => "SHARE ROW EXCLUSIVE",
        _ => "ACCESS EXCLUSIVE",
    };
}
