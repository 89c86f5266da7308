using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>DROP statements, and the name lists DROP, TRUNCATE and LOCK take.</summary>
internal static partial class StatementClassifier
{
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
}
