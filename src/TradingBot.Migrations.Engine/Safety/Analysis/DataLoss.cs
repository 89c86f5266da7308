namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>A statement that destroys data, and what is lost.</summary>
internal sealed record DataLossEntry(StatementInfo Statement, string Lost);

/// <summary>
/// Finds the statements of a script that destroy data which the script itself (or, for a down, its up)
/// did not create: dropped tables and columns, emptied tables, deleted rows, narrowed types.
/// </summary>
internal static class DataLoss
{
    /// <param name="filteredDeletes">Whether a DELETE with a WHERE counts (rollback classification: yes; the irreversible rule: no).</param>
    public static List<DataLossEntry> Find(ScriptContext script, ScriptContext? up = null, bool filteredDeletes = true)
    {
        var losses = new List<DataLossEntry>();
        foreach (var s in script.Statements)
        {
            bool NewTable(ObjectName t) => script.IsNewTable(t, s.Index) || script.IsCopiedOut(t, s.Index) || (up?.CreatedTableAnywhere(t) ?? false);
            switch (s.Kind)
            {
                case StatementKind.DropTable when !s.Temporary:
                    foreach (var t in s.Targets.Where(t => !NewTable(t)))
                    {
                        losses.Add(new(s, $"table {t.Display} (all rows)"));
                    }

                    foreach (var t in s.Targets)
                    {
                        losses.AddRange(script.ColumnsLeftOutByRebuild(t, s.Index).Select(c => new DataLossEntry(s, $"column {t.Display}.{c}")));
                    }

                    break;
                case StatementKind.Truncate:
                    foreach (var t in s.Targets.Where(t => !NewTable(t)))
                    {
                        losses.Add(new(s, $"all rows of {t.Display}{(s.Cascade ? " and of every table referencing it" : string.Empty)}"));
                    }

                    break;
                case StatementKind.Delete when s.Target is { } t && !NewTable(t):
                    if (!s.HasTopLevelWhere)
                    {
                        losses.Add(new(s, $"all rows of {t.Display}"));
                    }
                    else if (filteredDeletes && (up is null || !up.InsertedIntoAnywhere(t)))
                    {
                        losses.Add(new(s, $"the rows of {t.Display} matching the WHERE"));
                    }

                    break;
                case StatementKind.DropSchema when s.Cascade:
                    foreach (var schema in s.Targets.Where(x => !script.IsNewSchema(x, s.Index)))
                    {
                        losses.Add(new(s, $"schema {schema.Display} and everything in it"));
                    }

                    break;
                case StatementKind.AlterTable when s.Target is { } t && !NewTable(t):
                    foreach (var a in s.Actions)
                    {
                        if (a.Column is not { } c)
                        {
                            continue;
                        }

                        var created = script.IsNewColumn(t, c, s.Index) || (up?.AddedColumnAnywhere(t, c) ?? false);
                        if (a.Kind == AlterActionKind.DropColumn && !created)
                        {
                            losses.Add(new(s, $"column {t.Display}.{c.Display}"));
                        }
                        else if (a.Kind == AlterActionKind.AlterColumnType && a.NewType is { } to && !script.IsNewColumn(t, c, s.Index))
                        {
                            var from = script.KnownType(t, c, s.Index) is { } own && (up is null || script.Statements.Take(s.Index).Any(x => x.Target?.Key == t.Key))
                                ? own
                                : up?.KnownType(t, c, int.MaxValue) ?? script.KnownType(t, c, s.Index);
                            var change = from is null ? TypeChange.Unknown : SqlTypes.Compare(from, to);
                            if (change == TypeChange.Narrowing)
                            {
                                losses.Add(new(s, $"values of {t.Display}.{c.Display} that do not fit when narrowed from {from} to {to}"));
                            }
                            else if (change == TypeChange.Unknown && from is not null)
                            {
                                losses.Add(new(s, $"values of {t.Display}.{c.Display} that may not survive the change from {from} to {to}"));
                            }
                        }
                    }

                    break;
            }
        }

        return losses;
    }
}
