using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace TradingBot.Migrations.Host;

/// <summary>Runs the pipeline, prints warnings and verbose lines as they come, objects as a table, errors to stderr.</summary>
internal static class StreamPrinter
{
    public static int Run(PowerShell shell)
    {
        shell.Streams.Warning.DataAdded += (s, e) => Console.Error.WriteLine("WARNING: " + shell.Streams.Warning[e.Index].Message);
        shell.Streams.Verbose.DataAdded += (s, e) => Console.Error.WriteLine("VERBOSE: " + shell.Streams.Verbose[e.Index].Message);
        shell.Streams.Information.DataAdded += (s, e) => Console.WriteLine(shell.Streams.Information[e.Index].MessageData);
        var failed = false;
        var output = new List<PSObject>();
        try
        {
            foreach (var item in shell.Invoke())
            {
                if (item is not null)
                {
                    output.Add(item);
                }
            }
        }
        catch (RuntimeException e)
        {
            PrintError(e.ErrorRecord);
            failed = true;
        }

        foreach (var error in shell.Streams.Error)
        {
            PrintError(error);
            failed = true;
        }

        Console.Write(TableRenderer.Render(output));
        return failed || shell.HadErrors ? 1 : 0;
    }

    private static void PrintError(ErrorRecord error)
    {
        var message = error.ErrorDetails?.Message ?? error.Exception?.Message ?? error.ToString();
        Console.Error.WriteLine($"ERROR [{error.FullyQualifiedErrorId}] {message}");
        if (error.ErrorDetails?.RecommendedAction is { Length: > 0 } action)
        {
            Console.Error.WriteLine("  To fix: " + action);
        }
    }
}

internal static class TableRenderer
{
    public static string Render(IReadOnlyList<PSObject> objects)
    {
        var text = new StringBuilder();
        foreach (var group in Groups(objects))
        {
            var first = group[0];
            if (first.BaseObject is string or ValueType)
            {
                foreach (var item in group)
                {
                    text.AppendLine(Format(item.BaseObject));
                }

                continue;
            }

            var columns = Columns(first);
            var rows = group.Select(o => columns.Select(c => Format(o.Properties[c]?.Value)).ToArray()).ToList();
            var widths = columns.Select((c, i) => Math.Min(60, Math.Max(c.Length, rows.Max(r => r[i].Length)))).ToArray();
            text.AppendLine();
            text.AppendLine(string.Join(' ', columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            text.AppendLine(string.Join(' ', widths.Select(w => new string('-', w))));
            foreach (var row in rows)
            {
                text.AppendLine(string.Join(' ', row.Select((v, i) => (v.Length > widths[i] ? v[..(widths[i] - 3)] + "..." : v).PadRight(widths[i]))).TrimEnd());
            }
        }

        if (text.Length > 0)
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    private static IEnumerable<List<PSObject>> Groups(IReadOnlyList<PSObject> objects)
    {
        var current = new List<PSObject>();
        foreach (var item in objects)
        {
            if (current.Count > 0 && current[0].BaseObject.GetType() != item.BaseObject.GetType())
            {
                yield return current;
                current = [];
            }

            current.Add(item);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private static List<string> Columns(PSObject item)
    {
        if (item.BaseObject is FileSystemInfo)
        {
            return ["FullName"];
        }

        var standard = item.Members["PSStandardMembers"]?.Value as PSMemberSet;
        if (standard?.Members["DefaultDisplayPropertySet"]?.Value is PSPropertySet set)
        {
            return set.ReferencedPropertyNames.ToList();
        }

        return item.Properties.Where(p => p.IsGettable).Select(p => p.Name).Take(8).ToList();
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        PSObject pso => Format(pso.BaseObject),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (time.Kind == DateTimeKind.Utc ? "Z" : string.Empty),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
        TimeSpan span => span.TotalSeconds < 60 ? span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms" : span.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
        string s => s.ReplaceLineEndings(" "),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
