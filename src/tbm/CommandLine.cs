namespace TradingBot.Migrations.Host;

/// <summary>Rebuilds a PowerShell command line from argv, quoting values so that URLs and paths arrive intact.</summary>
internal static class CommandLine
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(" \t;|&(){}'\"`$@,<>#");

    public static string Join(IEnumerable<string> args) => string.Join(' ', args.Select((a, i) => i == 0 ? a : Quote(a)));

    private static string Quote(string arg)
    {
        if (arg.StartsWith('-') && !arg.Contains(' ', StringComparison.Ordinal))
        {
            return arg; // a parameter name, or -Switch:$false
        }

        return arg.Length > 0 && arg.IndexOfAny(Special) < 0 ? arg : "'" + arg.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
