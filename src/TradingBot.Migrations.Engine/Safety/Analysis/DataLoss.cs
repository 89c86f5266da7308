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
                            else if (a.UsingExpression is { } expression && !IsPlainConversion(expression, c))
                            {
                                losses.Add(new(s, $"values of {t.Display}.{c.Display} as they were before USING {expression} rewrote them"));
                            }
                        }
                    }

                    break;
            }
        }

        return losses;
    }

    /// <summary>
    /// What a down destroys that its up created: tables the up created and columns it added, with every value written to
    /// them since the migration was applied. A rollback that runs it is lossy, even though it only undoes the up.
    /// </summary>
    public static List<DataLossEntry> FindUndone(ScriptContext down, ScriptContext up)
    {
        var losses = new List<DataLossEntry>();
        foreach (var s in down.Statements)
        {
            bool UpTable(ObjectName t) => up.CreatedTableAnywhere(t) && !down.IsNewTable(t, s.Index) && !down.IsCopiedOut(t, s.Index);
            switch (s.Kind)
            {
                case StatementKind.DropTable when !s.Temporary:
                    losses.AddRange(s.Targets.Where(UpTable).Select(t => new DataLossEntry(s, $"table {t.Display}, which the up created, with every row written to it since")));
                    break;
                case StatementKind.Truncate:
                    losses.AddRange(s.Targets.Where(UpTable).Select(t => new DataLossEntry(s, $"every row written to {t.Display} since the up created it")));
                    break;
                case StatementKind.Delete when s.Target is { } t && UpTable(t) && !s.HasTopLevelWhere:
                    losses.Add(new(s, $"every row written to {t.Display} since the up created it"));
                    break;
                case StatementKind.AlterTable when s.Target is { } t && !up.CreatedTableAnywhere(t):
                    losses.AddRange(s.Actions
                        .Where(a => a.Kind == AlterActionKind.DropColumn && a.Column is { } c && up.AddedColumnAnywhere(t, c) && !down.IsNewColumn(t, c, s.Index))
                        .Select(a => new DataLossEntry(s, $"column {t.Display}.{a.Column!.Display}, which the up added, with every value written to it since")));
                    break;
            }
        }

        return losses;
    }

    // USING c, USING c::type or USING CAST(c AS type): the conversion PostgreSQL would make anyway, judged by the types alone.
    private static bool IsPlainConversion(string expression, ObjectName column)
    {
        var name = System.Text.RegularExpressions.Regex.Escape(column.Display.Trim('"'));
        return System.Text.RegularExpressions.Regex.IsMatch(expression.Trim(),
            $@"^\(*\s*(""?{name}""?(\s*::\s*[\w\s.""(),\[\]]+)?|CAST\s*\(\s*""?{name}""?\s+AS\s+[\w\s.""(),\[\]]+\))\s*\)*$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
