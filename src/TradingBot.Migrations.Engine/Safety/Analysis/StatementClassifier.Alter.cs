using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>ALTER statements: each action of an ALTER TABLE, and the other objects ALTER changes.</summary>
internal static partial class StatementClassifier
{
    private static void ClassifyAlter(StatementView v, StatementInfo info)
    {
        if (v.Is(1, "SCHEMA"))
        {
            info.Kind = StatementKind.AlterSchema;
            info.Target = v.ReadName(2, out var after);
            info.Subject = v.Is(after, "RENAME") ? "RENAME" : v.Text(after).ToUpperInvariant();
            return;
        }

        if (v.Is(1, "TYPE"))
        {
            info.Kind = StatementKind.AlterType;
            info.Target = v.ReadName(2, out var after);
            info.Subject = v.Seq(after, "RENAME", "VALUE") ? "RENAME VALUE" : v.Text(after).ToUpperInvariant();
            return;
        }

        if (v.Is(1, "DOMAIN"))
        {
            info.Kind = StatementKind.AlterDomain;
            info.Target = v.ReadName(2, out var after);
            info.Subject = v.Seq(after, "SET", "NOT", "NULL") ? "SET NOT NULL" : v.Is(after, "ADD") ? "ADD" : v.Text(after).ToUpperInvariant();
            info.NotValid = v.Contains("VALID", after) && v.Contains("NOT", after);
            return;
        }

        if (!v.Is(1, "TABLE") || v.Seq(2, "ALL", "IN"))
        {
            info.Kind = StatementKind.AlterOther;
            info.Subject = v.Text(1).ToUpperInvariant();
            return;
        }

        info.Kind = StatementKind.AlterTable;
        var i = 2;
        if (v.Seq(i, "IF", "EXISTS"))
        {
            info.IfExists = true;
            i += 2;
        }

        i = v.Skip(i, "ONLY");
        info.Target = v.ReadName(i, out i);
        if (v.IsPunct(i, '*'))
        {
            i++;
        }

        var start = i;
        for (var k = i; k <= v.Count; k++)
        {
            if (k == v.Count || (v.Kind(k) == SqlTokenKind.Comma && v.Depth(k) == 0))
            {
                if (k > start)
                {
                    info.Actions.Add(ReadAction(v, start, k));
                }

                start = k + 1;
            }
        }
    }

    private static AlterAction ReadAction(StatementView v, int s, int e)
    {
        var a = new AlterAction { Start = s, End = e };
        if (v.Is(s, "ADD"))
        {
            var i = s + 1;
            if (v.Is(i, "CONSTRAINT"))
            {
                a.ConstraintName = v.ReadName(i + 1, out i);
            }

            var kind = v.Seq(i, "PRIMARY", "KEY") ? ConstraintKind.PrimaryKey
                : v.Is(i, "UNIQUE") ? ConstraintKind.Unique
                : v.Seq(i, "FOREIGN", "KEY") ? ConstraintKind.ForeignKey
                : v.Is(i, "CHECK") ? ConstraintKind.Check
                : v.Is(i, "EXCLUDE") ? ConstraintKind.Exclude
                : ConstraintKind.None;
            if (kind != ConstraintKind.None)
            {
                a.Kind = AlterActionKind.AddConstraint;
                a.Constraint = kind;
                a.NotValid = HasNotValid(v, i, e);
                a.UsingIndex = v.Contains("USING", i, e, 0) && v.Contains("INDEX", i, e, 0) && !v.Contains("EXCLUDE", i, e);
                if (kind == ConstraintKind.Check)
                {
                    a.NotNullCheckColumn = ReadNotNullCheck(v, i + 1);
                }

                return a;
            }

            i = v.Skip(i, "COLUMN");
            if (v.Seq(i, "IF", "NOT", "EXISTS"))
            {
                a.IfNotExists = true;
                i += 3;
            }

            a.Kind = AlterActionKind.AddColumn;
            a.Definition = ReadColumn(v, i, e);
            a.Column = a.Definition.Name;
            return a;
        }

        if (v.Is(s, "DROP"))
        {
            if (v.Is(s + 1, "CONSTRAINT"))
            {
                a.Kind = AlterActionKind.DropConstraint;
                var i = s + 2;
                if (v.Seq(i, "IF", "EXISTS"))
                {
                    i += 2;
                }

                a.ConstraintName = v.ReadName(i);
                return a;
            }

            if (v.IsAny(s + 1, "DEFAULT", "EXPRESSION", "IDENTITY", "NOT"))
            {
                a.Kind = AlterActionKind.Other;
                return a;
            }

            var c = v.Skip(s + 1, "COLUMN");
            if (v.Seq(c, "IF", "EXISTS"))
            {
                a.IfExists = true;
                c += 2;
            }

            a.Kind = AlterActionKind.DropColumn;
            a.Column = v.ReadName(c);
            return a;
        }

        if (v.Is(s, "ALTER"))
        {
            var i = v.Skip(s + 1, "COLUMN");
            a.Column = v.ReadName(i, out i);
            if (v.Is(i, "TYPE") || v.Seq(i, "SET", "DATA", "TYPE"))
            {
                a.Kind = AlterActionKind.AlterColumnType;
                var typeStart = v.Is(i, "TYPE") ? i + 1 : i + 3;
                var typeEnd = typeStart;
                while (typeEnd < e && !v.IsAny(typeEnd, "USING", "COLLATE"))
                {
                    typeEnd = v.Kind(typeEnd) == SqlTokenKind.OpenParen ? v.SkipParens(typeEnd) : typeEnd + 1;
                }

                a.NewType = NormalizeType(v, typeStart, typeEnd);
                var usingAt = v.Find("USING", typeEnd, e, v.Depth(s));
                a.Using = usingAt >= 0;
                a.UsingExpression = a.Using ? v.Slice(usingAt + 1, e).Trim() : null;
            }
            else if (v.Seq(i, "SET", "NOT", "NULL"))
            {
                a.Kind = AlterActionKind.SetNotNull;
            }
            else if (v.Seq(i, "DROP", "NOT", "NULL"))
            {
                a.Kind = AlterActionKind.DropNotNull;
            }
            else if (v.Seq(i, "SET", "DEFAULT"))
            {
                a.Kind = AlterActionKind.SetDefault;
            }
            else if (v.Seq(i, "SET", "STATISTICS") || (v.Is(i, "SET") && v.Kind(i + 1) == SqlTokenKind.OpenParen) || v.Is(i, "RESET"))
            {
                a.Kind = AlterActionKind.WeakLock;
            }

            return a;
        }

        if (v.Is(s, "RENAME"))
        {
            if (v.Is(s + 1, "TO"))
            {
                a.Kind = AlterActionKind.RenameTable;
                a.NewName = v.ReadName(s + 2);
            }
            else if (v.Is(s + 1, "CONSTRAINT"))
            {
                a.Kind = AlterActionKind.RenameConstraint;
            }
            else
            {
                a.Kind = AlterActionKind.RenameColumn;
                a.Column = v.ReadName(v.Skip(s + 1, "COLUMN"), out var after);
                a.NewName = v.Is(after, "TO") ? v.ReadName(after + 1) : null;
            }

            return a;
        }

        if (v.Seq(s, "VALIDATE", "CONSTRAINT"))
        {
            a.Kind = AlterActionKind.ValidateConstraint;
            a.ConstraintName = v.ReadName(s + 2);
            return a;
        }

        if (v.Seq(s, "DETACH", "PARTITION"))
        {
            a.Kind = AlterActionKind.DetachPartition;
            a.Concurrently = v.Contains("CONCURRENTLY", s, e) || v.Contains("FINALIZE", s, e);
            return a;
        }

        if ((v.Is(s, "SET") && v.Kind(s + 1) == SqlTokenKind.OpenParen) || (v.Is(s, "RESET") && v.Kind(s + 1) == SqlTokenKind.OpenParen) || v.Seq(s, "CLUSTER", "ON"))
        {
            a.Kind = AlterActionKind.WeakLock;
            return a;
        }

        if (v.Seq(s, "SET", "LOGGED") || v.Seq(s, "SET", "UNLOGGED") || v.Seq(s, "SET", "TABLESPACE") || v.Seq(s, "SET", "ACCESS", "METHOD"))
        {
            a.Kind = AlterActionKind.Rewrite;
            return a;
        }

        return a;
    }

    private static bool HasNotValid(StatementView v, int from, int to)
    {
        for (var k = Math.Max(from, 1); k < to; k++)
        {
            if (v.Is(k, "VALID") && v.Is(k - 1, "NOT") && v.Depth(k) == 0)
            {
                return true;
            }
        }

        return false;
    }

    // CHECK ( col IS NOT NULL )
    private static ObjectName? ReadNotNullCheck(StatementView v, int open)
    {
        if (v.Kind(open) != SqlTokenKind.OpenParen)
        {
            return null;
        }

        var name = v.ReadName(open + 1, out var next);
        return name is not null && v.Seq(next, "IS", "NOT", "NULL") && v.Kind(next + 3) == SqlTokenKind.CloseParen ? name : null;
    }
}
