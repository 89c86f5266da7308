using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>Reads a statement's tokens into a <see cref="StatementInfo"/>; tolerant of anything it does not know.</summary>
internal static partial class StatementClassifier
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
            case "COMMIT":
            case "END":
            case "ABORT":
            case "ROLLBACK":
            case "PREPARE":
                info.Kind = TransactionStatements.EffectOf(v.Statement) switch
                {
                    TransactionEffect.Begins => StatementKind.Begin,
                    TransactionEffect.Commits => StatementKind.Commit,
                    TransactionEffect.RollsBack => StatementKind.Rollback,
                    TransactionEffect.PreparesForTwoPhaseCommit => StatementKind.PrepareTransaction,
                    _ => StatementKind.Other,
                };
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
            case "REPACK":
                // PostgreSQL 19's REPACK replaces VACUUM FULL and CLUSTER; with (CONCURRENTLY) it holds ACCESS EXCLUSIVE only for the swap.
                info.Kind = StatementKind.Cluster;
                info.Subject = "REPACK";
                info.Concurrently = v.Kind(1) == SqlTokenKind.OpenParen && v.Find("CONCURRENTLY", 2, v.SkipParens(1)) is var c && c > 0 && !v.IsAny(c + 1, "FALSE", "OFF");
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
        "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY", "PRAGMA", "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "REPACK",
        "RELEASE", "REPLACE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET", "SHOW", "START", "TABLE",
        "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH",
    };
}
