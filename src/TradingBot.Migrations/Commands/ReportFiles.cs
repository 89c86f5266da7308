using System.Management.Automation;
using System.Text.Json;
using TradingBot.Migrations.Errors;

namespace TradingBot.Migrations.Commands;

/// <summary>Reads the JSON reports Export-MigrationReport -Format Json wrote (an array of flat records) back into records.</summary>
internal static class ReportFiles
{
    /// <summary>
    /// The records of every file the patterns match, each file once however many patterns match it. A target reported in
    /// two files is refused: each shard covers its own targets, so that is a report given twice (a re-run job's and the
    /// run's before it), and merging both would count the target's migrations twice.
    /// </summary>
    public static List<PSObject> Read(PSCmdlet cmdlet, IEnumerable<string> patterns)
    {
        var records = new List<PSObject>();
        var files = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var reportedIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in patterns.SelectMany(pattern => Resolve(cmdlet, pattern)).Where(files.Add))
        {
            var file = ReadOne(cmdlet, path);
            foreach (var target in file.Select(TargetOf).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (!reportedIn.TryAdd(target, path))
                {
                    cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorCatalogue.InvalidReportFile,
                        $"-Merge: {target} is reported in both {reportedIn[target]} and {path}, and each shard's report covers its own targets. " +
                        "Pass each shard's report once (for a re-run job, its new report instead of the old one). Nothing was written.", path));
                }
            }

            records.AddRange(file);
        }

        return records;
    }

    private static string? TargetOf(PSObject record) => record.Properties["Target"]?.Value is string { Length: > 0 } target ? target : null;

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
