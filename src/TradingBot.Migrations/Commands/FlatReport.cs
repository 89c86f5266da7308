using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace TradingBot.Migrations.Commands;

/// <summary>Export-MigrationReport's JSON and CSV: the flat records as they are, migrations or differences alike.</summary>
internal static class FlatReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static string Json(IReadOnlyList<PSObject> items)
    {
        var rows = items.Select(item => item.Properties.ToDictionary(p => p.Name, p => p.Value)).ToList();
        return JsonSerializer.Serialize(rows, JsonOptions) + "\n";
    }

    public static string Csv(IReadOnlyList<PSObject> items)
    {
        var csv = new StringBuilder();
        var names = items.Count == 0 ? [] : items[0].Properties.Select(p => p.Name).ToList();
        csv.AppendLine(string.Join(',', names.Select(Quote)));
        foreach (var item in items)
        {
            csv.AppendLine(string.Join(',', names.Select(n => Quote(Convert.ToString(item.Properties[n]?.Value, CultureInfo.InvariantCulture) ?? string.Empty))));
        }

        return csv.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
