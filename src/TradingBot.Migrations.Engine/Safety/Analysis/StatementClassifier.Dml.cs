using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>Data statements (INSERT, UPDATE, DELETE, MERGE, SELECT, WITH) and SET / set_config.</summary>
internal static partial class StatementClassifier
{
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
