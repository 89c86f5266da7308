using System.Management.Automation;
using System.Text.Json;
using TradingBot.Migrations.Errors;

namespace TradingBot.Migrations.Commands;

/// <summary>Reads the JSON reports Export-MigrationReport -Format Json wrote (an array of flat records) back into records.</summary>
internal static class ReportFiles
{
    public static List<PSObject> Read(PSCmdlet cmdlet, IEnumerable<string> patterns)
    {
        var records = new List<PSObject>();
        foreach (var pattern in patterns)
        {
            foreach (var path in Resolve(cmdlet, pattern))
            {
                records.AddRange(ReadOne(cmdlet, path));
            }
        }

        return records;
    }

    private static System.Collections.ObjectModel.Collection<string> Resolve(PSCmdlet cmdlet, string pattern)
    {
        try
        {
            return cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out _);
        }
        catch (ItemNotFoundException)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.InvalidReportFile, $"-Merge: no report file matches '{pattern}'.", pattern));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    private static List<PSObject> ReadOne(PSCmdlet cmdlet, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.InvalidReportFile, $"-Merge: {path} is not a JSON report: {e.Message}", path));
            throw; // not reached: ThrowTerminatingError throws
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array ||
                document.RootElement.EnumerateArray().Any(row => row.ValueKind != JsonValueKind.Object || !(row.TryGetProperty("Version", out _) || row.TryGetProperty("ObjectKind", out _))))
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.InvalidReportFile,
                    $"-Merge: {path} is not a report of Export-MigrationReport -Format Json (an array of records with a Version or an ObjectKind).", path));
            }

            return document.RootElement.EnumerateArray().Select(ToRecord).ToList();
        }
    }

    private static PSObject ToRecord(JsonElement row)
    {
        var record = new PSObject();
        foreach (var property in row.EnumerateObject())
        {
            record.Properties.Add(new PSNoteProperty(property.Name, property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }));
        }

        return record;
    }
}
