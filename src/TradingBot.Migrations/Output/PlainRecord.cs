using System.Globalization;
using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// The flat form of a status or result object for ConvertTo-Json, Export-Csv and reports: strings,
/// numbers and booleans only. Versions as text, enums as names, times as ISO 8601 UTC
/// (2026-11-24T09:30:00.0000000Z), durations as milliseconds. The typed objects stay typed for the
/// pipeline (Version compares part by part, Undo-Migration binds by property); -AsPlainObject and
/// Export-MigrationReport use this form, as they do a schema difference's flat properties. Any object with the same property names is accepted, so
/// flat records read back from JSON or CSV convert again unchanged.
/// </summary>
public static class PlainRecord
{
    private static readonly string[] StatusProperties =
        ["Environment", "Target", "Version", "Name", "State", "Kind", "AppliedAt", "AppliedBy", "DurationMs", "Checksum", "AppliedChecksum", "OutOfOrder", "HasDown", "FailedStatement", "Path"];

    private static readonly string[] ResultProperties =
        ["Environment", "Target", "Version", "Name", "Direction", "Status", "StartedAt", "DurationMs", "Path"];

    private static readonly string[] DifferenceProperties =
        ["Severity", "ObjectKind", "Name", "Table", "Difference", "ReferenceValue", "DifferenceValue", "Reference", "Target"];

    /// <summary>True for a status (it has State), false for a result (it has Status).</summary>
    public static bool IsStatus(PSObject item) => item?.Properties["State"] is not null;

    /// <summary>True for a schema difference of Test-MigrationDrift (it has ObjectKind and Difference).</summary>
    public static bool IsDifference(PSObject item) => item?.Properties["ObjectKind"] is not null && item.Properties["Difference"] is not null;

    public static PSObject From(object item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var source = PSObject.AsPSObject(item);
        var record = new PSObject();
        foreach (var name in IsDifference(source) ? DifferenceProperties : IsStatus(source) ? StatusProperties : ResultProperties)
        {
            record.Properties.Add(new PSNoteProperty(name, Value(source, name)));
        }

        return record;
    }

    /// <summary>A property's flat value: null, string, long/double or bool.</summary>
    public static object? Value(PSObject source, string name)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (name == "DurationMs" && source.Properties["DurationMs"] is null)
        {
            return source.Properties["Duration"]?.Value switch
            {
                TimeSpan duration => Math.Round(duration.TotalMilliseconds, 3),
                PSObject { BaseObject: TimeSpan duration } => Math.Round(duration.TotalMilliseconds, 3),
                string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var duration) => Math.Round(duration.TotalMilliseconds, 3),
                null => null,
                var other => Flat(other),
            };
        }

        return Flat(source.Properties[name]?.Value);
    }

    private static object? Flat(object? value) => value switch
    {
        null => null,
        PSObject wrapped when wrapped.BaseObject is not PSCustomObject => Flat(wrapped.BaseObject),
        string or bool or int or long or double or decimal => value,
        DateTime time => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
        TimeSpan span => Math.Round(span.TotalMilliseconds, 3),
        Enum name => name.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
