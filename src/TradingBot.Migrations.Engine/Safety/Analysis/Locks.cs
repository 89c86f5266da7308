namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>Which statements take locks that queue the application behind them (PostgreSQL).</summary>
internal static class Locks
{
    /// <summary>The existing table a statement takes a strong (write-blocking) lock on, or null.</summary>
    public static string? TakesStrongLock(ScriptContext context, StatementInfo s)
    {
        bool Existing(ObjectName? t) => t is not null && !context.IsNewTable(t, s.Index);
        switch (s.Kind)
        {
            case StatementKind.AlterTable when Existing(s.Target):
                // VALIDATE CONSTRAINT, DETACH ... CONCURRENTLY, SET STATISTICS and storage parameters take
                // SHARE UPDATE EXCLUSIVE: the application's reads and writes do not queue behind them.
                return s.Actions.Count > 0 && s.Actions.All(a =>
                    a.Kind is AlterActionKind.ValidateConstraint or AlterActionKind.WeakLock ||
                    (a.Kind == AlterActionKind.DetachPartition && a.Concurrently)) ? null : s.Target!.Display;
            case StatementKind.CreateIndex when !s.Concurrently && !s.OnlyParent && Existing(s.Target):
            case StatementKind.CreateTrigger when Existing(s.Target):
                return s.Target!.Display;
            case StatementKind.DropOther when s.Subject == "TRIGGER" && Existing(s.Target):
            case StatementKind.Refresh when !s.Concurrently && Existing(s.Target):
                return s.Target!.Display;
            case StatementKind.CreateTable when Existing(s.PartitionParent):
                return s.PartitionParent!.Display;
            case StatementKind.DropIndex when !s.Concurrently && s.Targets.Any(i => !context.IsNewIndex(i, s.Index)):
                return "the table of index " + s.Targets[0].Display;
            case StatementKind.DropTable or StatementKind.Truncate or StatementKind.Lock when s.Targets.FirstOrDefault(t => Existing(t)) is { } table:
                return table.Display;
            case StatementKind.Reindex when !s.Concurrently:
            case StatementKind.Cluster when !s.Concurrently:
            case StatementKind.Vacuum when s.Full:
                return s.View.Count > 1 ? s.View.Text(s.View.Count - 1) : "the database";
            case StatementKind.AlterDomain when s.Subject is "ADD" or "SET NOT NULL":
                return "every table using domain " + s.Target?.Display;
            default:
                return null;
        }
    }

    /// <summary>The existing table a statement scans or rewrites while holding a strong lock, or null.</summary>
    public static string? ScansUnderStrongLock(ScriptContext context, StatementInfo s)
    {
        switch (s.Kind)
        {
            case StatementKind.AlterTable when s.Target is { } t && !context.IsNewTable(t, s.Index):
                foreach (var a in s.Actions)
                {
                    var scans = a.Kind switch
                    {
                        AlterActionKind.AlterColumnType => a.Column is { } c && a.NewType is { } to && !context.IsNewColumn(t, c, s.Index) &&
                            !(context.KnownType(t, c, s.Index) is { } from && !a.Using && SqlTypes.IsMetadataOnly(from, to)),
                        AlterActionKind.SetNotNull => a.Column is { } c && !context.IsNewColumn(t, c, s.Index) && !context.HasValidatedNotNullCheck(t, c, s.Index),
                        AlterActionKind.AddConstraint => !a.NotValid && !a.UsingIndex,
                        AlterActionKind.AddColumn => a.Definition is { } d && (d.VolatileDefault || d.Identity || d.GeneratedStored || d.PrimaryKey || d.Unique || d.Check || d.References),
                        AlterActionKind.Rewrite => true,
                        _ => false,
                    };
                    if (scans)
                    {
                        return t.Display;
                    }
                }

                return null;
            case StatementKind.CreateIndex when !s.Concurrently && !s.OnlyParent && s.Target is { } t && !context.IsNewTable(t, s.Index):
                return t.Display;
            case StatementKind.Reindex when !s.Concurrently:
            case StatementKind.Cluster when !s.Concurrently:
            case StatementKind.Vacuum when s.Full:
                return s.View.Count > 1 ? s.View.Text(s.View.Count - 1) : "the database";
            default:
                return null;
        }
    }
}
