namespace TradingBot.Migrations.Engine.Safety.Analysis;

internal enum TypeChange
{
    Same,
    Widening,
    Narrowing,
    Unknown,
}

/// <summary>Compares two column types as written (lower case): does a change keep every value, and does it rewrite?</summary>
internal static class SqlTypes
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "int4", ["integer"] = "int4", ["int4"] = "int4", ["serial"] = "int4", ["serial4"] = "int4",
        ["smallint"] = "int2", ["int2"] = "int2", ["smallserial"] = "int2", ["serial2"] = "int2",
        ["bigint"] = "int8", ["int8"] = "int8", ["bigserial"] = "int8", ["serial8"] = "int8",
        ["real"] = "float4", ["float4"] = "float4", ["double precision"] = "float8", ["float8"] = "float8", ["float"] = "float8",
        ["decimal"] = "numeric", ["numeric"] = "numeric",
        ["character varying"] = "varchar", ["varchar"] = "varchar", ["character"] = "bpchar", ["char"] = "bpchar", ["bpchar"] = "bpchar",
        ["text"] = "text", ["citext"] = "citext",
        ["timestamp"] = "timestamp", ["timestamp without time zone"] = "timestamp",
        ["timestamptz"] = "timestamptz", ["timestamp with time zone"] = "timestamptz",
        ["date"] = "date", ["bool"] = "bool", ["boolean"] = "bool", ["uuid"] = "uuid", ["json"] = "json", ["jsonb"] = "jsonb",
        ["varbit"] = "varbit", ["bit varying"] = "varbit",
    };

    private static readonly string[] IntegerOrder = ["int2", "int4", "int8"];

    public static (string Base, int[] Args) Parse(string type)
    {
        var open = type.IndexOf('(', StringComparison.Ordinal);
        var name = (open < 0 ? type : type[..open]).Trim();
        var args = Array.Empty<int>();
        if (open >= 0)
        {
            var close = type.IndexOf(')', open);
            var inner = close > open ? type[(open + 1)..close] : type[(open + 1)..];
            args = inner.Split(',').Select(p => int.TryParse(p.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
            var rest = close > open ? type[(close + 1)..].Trim() : string.Empty;
            if (rest.Length > 0)
            {
                name = name + " " + rest; // timestamp(3) with time zone
            }
        }

        return (Aliases.GetValueOrDefault(name, name), args);
    }

    public static TypeChange Compare(string from, string to)
    {
        var (a, aa) = Parse(from);
        var (b, ba) = Parse(to);
        if (a == b && aa.SequenceEqual(ba))
        {
            return TypeChange.Same;
        }

        if (b is "text" or "citext" || (b == "varchar" && ba.Length == 0))
        {
            return TypeChange.Widening; // every value has a text form
        }

        if (a is "text" or "citext" || (a == "varchar" && aa.Length == 0))
        {
            return b is "varchar" or "bpchar" ? TypeChange.Narrowing : TypeChange.Unknown;
        }

        if (a == b && a is "varchar" or "bpchar" or "varbit")
        {
            return ba.Length == 0 || (aa.Length > 0 && ba[0] >= aa[0]) ? TypeChange.Widening : TypeChange.Narrowing;
        }

        if (a == "bpchar" && b == "varchar")
        {
            return ba.Length == 0 || (aa.Length > 0 && ba[0] >= aa[0]) ? TypeChange.Widening : TypeChange.Narrowing;
        }

        var ia = Array.IndexOf(IntegerOrder, a);
        var ib = Array.IndexOf(IntegerOrder, b);
        if (ia >= 0 && ib >= 0)
        {
            return ib > ia ? TypeChange.Widening : TypeChange.Narrowing;
        }

        if (ia >= 0 && b == "numeric")
        {
            return ba.Length == 0 || (ba.Length >= 1 && ba[0] - (ba.Length > 1 ? ba[1] : 0) >= 19) ? TypeChange.Widening : TypeChange.Unknown;
        }

        if (a == "numeric" && b == "numeric")
        {
            if (ba.Length == 0)
            {
                return TypeChange.Widening;
            }

            if (aa.Length == 0)
            {
                return TypeChange.Narrowing;
            }

            var (ap, asc) = (aa[0], aa.Length > 1 ? aa[1] : 0);
            var (bp, bsc) = (ba[0], ba.Length > 1 ? ba[1] : 0);
            return bp - bsc >= ap - asc && bsc >= asc ? TypeChange.Widening : TypeChange.Narrowing;
        }

        if (a == "numeric" && ib >= 0)
        {
            return TypeChange.Narrowing;
        }

        if ((a, b) is ("float4", "float8") or ("timestamp", "timestamptz") or ("date", "timestamp") or ("date", "timestamptz") or ("json", "jsonb"))
        {
            return TypeChange.Widening;
        }

        if ((a, b) is ("float8", "float4") or ("timestamptz", "timestamp") or ("timestamp", "date") or ("timestamptz", "date") or ("float8", "int4") or ("float8", "int8") or ("float4", "int4"))
        {
            return TypeChange.Narrowing;
        }

        return TypeChange.Unknown;
    }

    /// <summary>True when PostgreSQL changes the type without rewriting the table or rebuilding its indexes.</summary>
    public static bool IsMetadataOnly(string from, string to)
    {
        var (a, aa) = Parse(from);
        var (b, ba) = Parse(to);
        if (a == b && aa.SequenceEqual(ba))
        {
            return true;
        }

        if (a is "varchar" or "text" && (b == "text" || (b == "varchar" && (ba.Length == 0 || (a == "varchar" && aa.Length > 0 && ba[0] >= aa[0])))))
        {
            return true;
        }

        if (a == "varbit" && b == "varbit")
        {
            return ba.Length == 0 || (aa.Length > 0 && ba[0] >= aa[0]);
        }

        if (a == "numeric" && b == "numeric")
        {
            // Increasing precision at the same scale, or dropping the limit.
            return ba.Length == 0 || (aa.Length > 0 && ba[0] >= aa[0] && (aa.Length > 1 ? aa[1] : 0) == (ba.Length > 1 ? ba[1] : 0));
        }

        return false;
    }
}
