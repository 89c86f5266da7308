using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>CREATE statements: tables with their columns and constraints, indexes, types, views and the rest.</summary>
internal static partial class StatementClassifier
{
    private static void ClassifyCreate(StatementView v, StatementInfo info)
    {
        var i = 1;
        while (v.IsAny(i, "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "RECURSIVE", "MATERIALIZED", "VIRTUAL", "CONSTRAINT", "TRUSTED", "PROCEDURAL"))
        {
            info.Temporary |= v.IsAny(i, "TEMP", "TEMPORARY");
            i++;
        }

        if (v.Is(i, "TABLE"))
        {
            info.Kind = StatementKind.CreateTable;
            i++;
            if (v.Seq(i, "IF", "NOT", "EXISTS"))
            {
                info.IfNotExists = true;
                i += 3;
            }

            info.Target = v.ReadName(i, out i);
            if (v.Seq(i, "PARTITION", "OF"))
            {
                info.PartitionParent = v.ReadName(i + 2, out i);
            }

            if (v.Kind(i) == SqlTokenKind.OpenParen)
            {
                ReadTableElements(v, i, info);
                i = v.SkipParens(i);
            }

            var asIndex = v.Find("AS", i, depth: 0);
            if (asIndex >= 0 || v.Contains("SELECT", i, depth: 0))
            {
                ReadSourceTables(v, Math.Max(i, asIndex), info.SourceTables);
                info.HasTopLevelWhere = v.Find("WHERE", i, depth: 0) >= 0;
            }
        }
        else if (v.Is(i, "INDEX"))
        {
            info.Kind = StatementKind.CreateIndex;
            i++;
            if (v.Is(i, "CONCURRENTLY"))
            {
                info.Concurrently = true;
                i++;
            }

            if (v.Seq(i, "IF", "NOT", "EXISTS"))
            {
                info.IfNotExists = true;
                i += 3;
            }

            if (!v.Is(i, "ON"))
            {
                info.IndexName = v.ReadName(i, out i);
            }

            if (v.Is(i, "ON"))
            {
                // ON ONLY a partitioned table creates the parent index without building anything.
                info.OnlyParent = v.Is(i + 1, "ONLY");
                info.Target = v.ReadName(v.Skip(i + 1, "ONLY"));
            }
        }
        else if (v.Is(i, "SCHEMA"))
        {
            info.Kind = StatementKind.CreateSchema;
            i++;
            if (v.Seq(i, "IF", "NOT", "EXISTS"))
            {
                info.IfNotExists = true;
                i += 3;
            }

            info.Target = v.Is(i, "AUTHORIZATION") ? v.ReadName(i + 1) : v.ReadName(i);
        }
        else if (v.Is(i, "TRIGGER"))
        {
            info.Kind = StatementKind.CreateTrigger;
            var on = v.Find("ON", i, depth: 0);
            info.Target = on > 0 ? v.ReadName(on + 1) : null;
        }
        else
        {
            info.Kind = StatementKind.CreateOther;
            info.Subject = v.Text(i).ToUpperInvariant();
            info.IfNotExists = v.Contains("EXISTS", i, i + 4) && v.Contains("NOT", i, i + 4);
            if (info.Subject == "VIEW")
            {
                info.Target = v.ReadName(info.IfNotExists ? i + 4 : i + 1);
            }
        }
    }

    private static void ReadTableElements(StatementView v, int open, StatementInfo info)
    {
        var close = v.SkipParens(open) - 1;
        var depth = v.Depth(open) + 1;
        var start = open + 1;
        for (var k = open + 1; k <= close; k++)
        {
            if (k == close || (v.Kind(k) == SqlTokenKind.Comma && v.Depth(k) == depth))
            {
                if (k > start && !v.IsAny(start, "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE", "PERIOD") && v.IsName(start))
                {
                    info.Columns.Add(ReadColumn(v, start, k));
                }

                start = k + 1;
            }
        }
    }

    /// <summary>Reads "name type constraints..." in [start, end).</summary>
    internal static ColumnDefinition ReadColumn(StatementView v, int start, int end)
    {
        var column = new ColumnDefinition { Name = v.ReadName(start) ?? new ObjectName("?", "?", "?") };
        var depth = v.Depth(start);
        var i = start + 1;
        var typeStart = i;
        while (i < end && !(v.Depth(i) == depth && IsColumnConstraintWord(v, i)))
        {
            i = v.Kind(i) == SqlTokenKind.OpenParen ? v.SkipParens(i) : i + 1;
        }

        column.Type = NormalizeType(v, typeStart, i);
        column.Serial = i > typeStart && SerialTypes.Contains(v.Text(typeStart));
        if (column.Serial)
        {
            column.NotNull = true;
            column.HasDefault = true;
            column.VolatileDefault = true;
            column.VolatileFunction = "nextval (" + v.Text(typeStart) + ")";
        }

        while (i < end)
        {
            if (v.Depth(i) != depth)
            {
                i++;
                continue;
            }

            if (v.Seq(i, "NOT", "NULL"))
            {
                column.NotNull = true;
                i += 2;
            }
            else if (v.Is(i, "DEFAULT"))
            {
                column.HasDefault = true;
                var exprEnd = i + 1;
                if (v.Kind(exprEnd) == SqlTokenKind.OpenParen)
                {
                    exprEnd = v.SkipParens(exprEnd);
                }

                while (exprEnd < end && !(v.Depth(exprEnd) == depth && IsColumnConstraintWord(v, exprEnd) && !v.IsAny(exprEnd, "NULL", "AS", "COLLATE", "ON")))
                {
                    exprEnd++;
                }

                for (var k = i + 1; k < exprEnd; k++)
                {
                    // A function call or CURRENT_*: SQLite needs a constant (a constant in parentheses is fine).
                    column.NonConstantDefault |= (v.Kind(k) == SqlTokenKind.OpenParen && v.Kind(k - 1) == SqlTokenKind.Word && k - 1 > i) ||
                        v.IsAny(k, "CURRENT_TIMESTAMP", "CURRENT_TIME", "CURRENT_DATE");
                    if (v.Kind(k) == SqlTokenKind.Word && v.Kind(k + 1) == SqlTokenKind.OpenParen && VolatileFunctions.Contains(v.Text(k)))
                    {
                        column.VolatileDefault = true;
                        column.VolatileFunction = v.Text(k) + "()";
                    }
                }

                if (exprEnd == i + 2 && v.Is(i + 1, "NULL"))
                {
                    column.HasDefault = false; // DEFAULT NULL is no default at all
                }

                i = exprEnd;
            }
            else if (v.Is(i, "GENERATED") || (v.Is(i, "AS") && v.Kind(i + 1) == SqlTokenKind.OpenParen))
            {
                var identity = v.Find("IDENTITY", i, end);
                if (identity >= 0 && v.Depth(identity) == depth)
                {
                    column.Identity = true;
                    column.NotNull = true;
                    column.HasDefault = true;
                }
                else
                {
                    var open = v.Is(i, "AS") ? i + 1 : v.Find("AS", i, end) + 1;
                    var after = open > i ? v.SkipParens(open) : i + 1;
                    column.GeneratedStored = v.Is(after, "STORED");
                    column.HasDefault = true;
                    i = Math.Max(after, i + 1);
                    continue;
                }

                i++;
            }
            else if (v.Seq(i, "PRIMARY", "KEY"))
            {
                column.PrimaryKey = true;
                column.NotNull = true;
                i += 2;
            }
            else if (v.Is(i, "UNIQUE"))
            {
                column.Unique = true;
                i++;
            }
            else if (v.Is(i, "REFERENCES"))
            {
                column.References = true;
                i++;
            }
            else if (v.Is(i, "CHECK"))
            {
                column.Check = true;
                i++;
            }
            else
            {
                i++;
            }
        }

        return column;
    }

    private static bool IsColumnConstraintWord(StatementView v, int i)
    {
        foreach (var word in ColumnConstraintWords)
        {
            if (v.Is(i, word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type as written, lower case, single-spaced, without spaces around punctuation.</summary>
    internal static string NormalizeType(StatementView v, int from, int to)
    {
        var sb = new System.Text.StringBuilder();
        for (var k = from; k < to && k < v.Count; k++)
        {
            var text = v.Text(k);
            var word = v.Kind(k) is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
            if (sb.Length > 0 && word && v.Kind(k - 1) is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                sb.Append(' ');
            }

            sb.Append(text);
        }

#pragma warning disable CA1308 // PostgreSQL prints type names in lower case.
        return sb.ToString().ToLowerInvariant();
#pragma warning restore CA1308
    }
}
