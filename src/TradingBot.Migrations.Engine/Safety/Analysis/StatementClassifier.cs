using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>Reads a statement's tokens into a <see cref="StatementInfo"/>; tolerant of anything it does not know.</summary>
internal static class StatementClassifier
{
    private static readonly string[] ColumnConstraintWords =
        ["CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "GENERATED", "COLLATE", "AS", "ON", "AUTOINCREMENT"];

    private static readonly HashSet<string> VolatileFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7",
        "clock_timestamp", "timeofday", "nextval", "setseed", "gen_random_bytes", "random_normal", "txid_current", "pg_current_xact_id",
    };

    private static readonly HashSet<string> SerialTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2",
    };

    /// <summary>
    /// Whether a statement of this kind ends the transaction it runs in: COMMIT and END (not COMMIT PREPARED), ROLLBACK
    /// and ABORT (not ROLLBACK TO [SAVEPOINT] or ROLLBACK PREPARED) and PREPARE TRANSACTION. BEGIN is not one: inside a
    /// transaction PostgreSQL warns and carries on in the same one.
    /// </summary>
    public static bool EndsTheTransaction(StatementKind kind) =>
        kind is StatementKind.Commit or StatementKind.Rollback or StatementKind.PrepareTransaction;

    /// <summary>
    /// The same question of a statement not classified yet; only the verbs that can end a transaction are read further.
    /// The migrator refuses these statements in a script it runs in a transaction (Planning.TransactionControl) and the
    /// transaction-control-in-migration rule reports them: both call this, so the linter and the runner cannot disagree.
    /// </summary>
    public static bool EndsTheTransaction(string source, SqlStatement statement, SqlDialect dialect) =>
        statement.Verb is "COMMIT" or "END" or "ROLLBACK" or "ABORT" or "PREPARE" &&
        EndsTheTransaction(Classify(new StatementView(source, statement, dialect), 0).Kind);

    public static StatementInfo Classify(StatementView v, int index)
    {
        var info = new StatementInfo(v, index);
        if (v.Count == 0)
        {
            return info;
        }

        try
        {
            ClassifyCore(v, info);
        }
        catch (IndexOutOfRangeException)
        {
            // A truncated statement: keep what was read; the syntax-error rule reports the rest.
        }

        return info;
    }

    private static void ClassifyCore(StatementView v, StatementInfo info)
    {
        if (v.Kind(0) != SqlTokenKind.Word)
        {
            info.Kind = v.Kind(0) == SqlTokenKind.OpenParen ? StatementKind.Select : StatementKind.Unknown;
            return;
        }

        switch (v.Statement.Verb)
        {
            case "CREATE":
                ClassifyCreate(v, info);
                break;
            case "DROP":
                ClassifyDrop(v, info);
                break;
            case "ALTER":
                ClassifyAlter(v, info);
                break;
            case "TRUNCATE":
                info.Kind = StatementKind.Truncate;
                ReadNameList(v, v.Skip(v.Skip(1, "TABLE"), "ONLY"), info.Targets);
                info.Cascade = v.Contains("CASCADE", depth: 0);
                break;
            case "DELETE":
            case "UPDATE":
            case "INSERT":
            case "REPLACE":
            case "WITH":
            case "SELECT":
            case "VALUES":
            case "TABLE":
            case "MERGE":
                ClassifyDml(v, info);
                break;
            case "BEGIN":
            case "START":
                info.Kind = StatementKind.Begin;
                break;
            case "COMMIT":
            case "END":
                info.Kind = v.Is(1, "PREPARED") ? StatementKind.Other : StatementKind.Commit;
                break;
            case "ABORT":
                info.Kind = StatementKind.Rollback;
                break;
            case "ROLLBACK":
                info.Kind = v.Contains("TO") || v.Is(1, "PREPARED") ? StatementKind.Other : StatementKind.Rollback;
                break;
            case "PREPARE":
                info.Kind = v.Is(1, "TRANSACTION") ? StatementKind.PrepareTransaction : StatementKind.Other;
                break;
            case "SET":
                ClassifySet(v, info);
                break;
            case "RESET":
                info.Kind = StatementKind.Reset;
                info.Setting = v.Count > 1 ? v.Text(1).ToUpperInvariant() : null;
                break;
            case "REINDEX":
                info.Kind = StatementKind.Reindex;
                info.Concurrently = v.Contains("CONCURRENTLY") && !v.Seq(v.Find("CONCURRENTLY") + 1, "FALSE");
                info.Subject = v.Slice(0, v.Count);
                break;
            case "VACUUM":
                info.Kind = StatementKind.Vacuum;
                info.Full = v.Is(1, "FULL") || (v.Kind(1) == SqlTokenKind.OpenParen && v.Find("FULL", 2, v.SkipParens(1)) is var f && f > 0 && !v.IsAny(f + 1, "FALSE", "OFF") && v.Text(f + 1) != "0");
                break;
            case "CLUSTER":
                info.Kind = StatementKind.Cluster;
                break;
            case "LOCK":
                info.Kind = StatementKind.Lock;
                ReadNameList(v, v.Skip(v.Skip(1, "TABLE"), "ONLY"), info.Targets);
                info.Target = info.Targets.FirstOrDefault();
                break;
            case "DO":
                info.Kind = StatementKind.Do;
                break;
            case "REFRESH":
                info.Kind = StatementKind.Refresh;
                info.Concurrently = v.Contains("CONCURRENTLY");
                info.Target = v.ReadName(info.Concurrently ? v.Find("CONCURRENTLY") + 1 : v.Skip(1, "MATERIALIZED", "VIEW"));
                break;
            default:
                info.Kind = KnownVerbs.Contains(v.Statement.Verb) ? StatementKind.Other : StatementKind.Unknown;
                break;
        }
    }

    internal static readonly HashSet<string> KnownVerbs = new(StringComparer.Ordinal)
    {
        "ABORT", "ALTER", "ANALYZE", "ANALYSE", "ATTACH", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT", "COMMIT", "COPY",
        "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DETACH", "DISCARD", "DO", "DROP", "END", "EXECUTE", "EXPLAIN", "FETCH", "GRANT",
        "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY", "PRAGMA", "PREPARE", "REASSIGN", "REFRESH", "REINDEX",
        "RELEASE", "REPLACE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET", "SHOW", "START", "TABLE",
        "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH",
    };

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

    private static void ClassifyDrop(StatementView v, StatementInfo info)
    {
        var i = 1;
        var what = v.Text(i).ToUpperInvariant();
        info.Subject = what;
        info.Kind = what switch
        {
            "TABLE" => StatementKind.DropTable,
            "INDEX" => StatementKind.DropIndex,
            "SCHEMA" => StatementKind.DropSchema,
            "DATABASE" => StatementKind.DropDatabase,
            _ => StatementKind.DropOther,
        };
        i++;
        if (v.Is(i, "CONCURRENTLY"))
        {
            info.Concurrently = true;
            i++;
        }

        if (v.Seq(i, "IF", "EXISTS"))
        {
            info.IfExists = true;
            i += 2;
        }

        if (info.Kind != StatementKind.DropOther)
        {
            ReadNameList(v, i, info.Targets);
            info.Target = info.Targets.FirstOrDefault();
        }
        else if (what == "TRIGGER" && v.Find("ON", i, depth: 0) is var on && on > 0)
        {
            info.Target = v.ReadName(on + 1);
        }

        info.Cascade = v.Contains("CASCADE", depth: 0);
    }

    private static void ReadNameList(StatementView v, int i, List<ObjectName> names)
    {
        while (v.ReadName(i, out var next) is { } name)
        {
            if (v.IsAny(i, "CASCADE", "RESTRICT", "RESTART", "CONTINUE", "IN", "NOWAIT", "WITH"))
            {
                break;
            }

            names.Add(name);
            i = next;
            if (v.IsPunct(i, '*'))
            {
                i++;
            }

            if (v.Kind(i) != SqlTokenKind.Comma)
            {
                break;
            }

            i = v.Skip(i + 1, "ONLY");
        }
    }

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
                a.Using = v.Is(typeEnd, "USING");
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

    private static void ClassifyDml(StatementView v, StatementInfo info)
    {
        var i = 0;
        if (v.Is(0, "WITH"))
        {
            i = 1;
            while (i < v.Count && !(v.Depth(i) == 0 && v.IsAny(i, "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE")))
            {
                i++;
            }
        }

        if (v.Is(i, "DELETE"))
        {
            info.Kind = StatementKind.Delete;
            info.Target = v.ReadName(v.Skip(v.Skip(i + 1, "FROM"), "ONLY"));
            info.HasTopLevelWhere = v.Find("WHERE", i, depth: 0) >= 0;
        }
        else if (v.Is(i, "UPDATE"))
        {
            info.Kind = StatementKind.Update;
            var t = v.Skip(i + 1, "ONLY");
            if (v.Is(t, "OR"))
            {
                t += 2; // SQLite: UPDATE OR REPLACE t
            }

            info.Target = v.ReadName(t);
            info.HasTopLevelWhere = v.Find("WHERE", i, depth: 0) >= 0;
        }
        else if (v.IsAny(i, "INSERT", "REPLACE"))
        {
            info.Kind = StatementKind.Insert;
            var into = v.Find("INTO", i, i + 4);
            info.Target = into > 0 ? v.ReadName(into + 1) : null;
            ReadSourceTables(v, i, info.SourceTables);
            info.HasTopLevelWhere = v.Find("WHERE", i, depth: 0) >= 0;
        }
        else
        {
            info.Kind = StatementKind.Select;
            ReadSetConfig(v, info);
            var into = v.Find("INTO", 0, depth: 0);
            if (into > 0 && v.Is(0, "SELECT"))
            {
                // SELECT ... INTO new_table FROM ...: creates a table (PostgreSQL).
                info.Kind = StatementKind.CreateTable;
                var n = v.Skip(v.Skip(v.Skip(into + 1, "TEMP"), "TEMPORARY"), "TABLE");
                info.Target = v.ReadName(n);
                ReadSourceTables(v, 0, info.SourceTables);
                info.HasTopLevelWhere = v.Find("WHERE", 0, depth: 0) >= 0;
            }
        }
    }

    private static void ReadSourceTables(StatementView v, int from, List<ObjectName> tables)
    {
        for (var k = Math.Max(from, 0); k < v.Count; k++)
        {
            if (v.IsAny(k, "FROM", "JOIN") && v.ReadName(v.Skip(k + 1, "ONLY")) is { } name)
            {
                tables.Add(name);
            }
        }
    }

    private static void ReadSetConfig(StatementView v, StatementInfo info)
    {
        // SELECT set_config('lock_timeout', '5s', false)
        var k = v.Find("set_config");
        if (k < 0 || v.Kind(k + 1) != SqlTokenKind.OpenParen || v.Kind(k + 2) != SqlTokenKind.StringLiteral)
        {
            return;
        }

        info.Kind = StatementKind.Set;
        info.Setting = Unquote(v.Text(k + 2)).ToUpperInvariant();
        info.SettingOn = k + 4 < v.Count && IsNonZero(v, k + 4);
        info.SettingLocal = v.Is(k + 6, "TRUE");
    }

    private static void ClassifySet(StatementView v, StatementInfo info)
    {
        info.Kind = StatementKind.Set;
        var i = 1;
        if (v.IsAny(i, "SESSION", "LOCAL"))
        {
            info.SettingLocal = v.Is(i, "LOCAL");
            i++;
        }

        if (v.Kind(i) is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
        {
            return;
        }

        info.Setting = v.ReadName(i, out var next)!.Qualified.ToUpperInvariant();
        if (v.Is(next, "TO") || v.IsPunct(next, '='))
        {
            next++;
        }

        info.SettingOn = !v.Is(next, "DEFAULT") && IsNonZero(v, next);
    }

    /// <summary>True when the value at index is a duration other than zero ('5s', 5000, '1min').</summary>
    private static bool IsNonZero(StatementView v, int index)
    {
        if (index >= v.Count)
        {
            return false;
        }

        var text = v.Kind(index) == SqlTokenKind.StringLiteral ? Unquote(v.Text(index)) : v.Text(index);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && c != '0')
            {
                return true;
            }

            if (char.IsAsciiLetter(c))
            {
                break;
            }
        }

        return false;
    }

    private static string Unquote(string literal)
    {
        var q = literal.IndexOf('\'', StringComparison.Ordinal);
        return q >= 0 && literal.Length - q >= 2 ? literal[(q + 1)..^1] : literal;
    }
}
