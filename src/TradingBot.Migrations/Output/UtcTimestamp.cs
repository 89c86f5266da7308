using System.Globalization;
using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// A UTC time as pwsh sees it on the output objects (AppliedAt, StartedAt): a DateTimeOffset, so
/// <c>Where-Object AppliedAt -gt (Get-Date).AddHours(-1)</c> compares instants whatever the local time zone, wrapped in
/// a PSObject named TradingBot.Migrations.UtcTimestamp whose ToString (Types.ps1xml) is ISO 8601 with its zone.
/// Export-Csv and Format-List print a value with ToString(), so they write 2026-11-24T09:30:00.0000000Z.
/// </summary>
public static class UtcTimestamp
{
    public const string TypeName = "TradingBot.Migrations.UtcTimestamp";

    internal static PSObject? Wrap(DateTime? utc)
    {
        if (utc is not { } time)
        {
            return null;
        }

        var wrapped = PSObject.AsPSObject(new DateTimeOffset(OutputText.AsUtc(time)));
        wrapped.TypeNames.Insert(0, TypeName);
        return wrapped;
    }

    /// <summary>
    /// What the ToString script method (Types.ps1xml) returns: without arguments ISO 8601 UTC; with a format, a provider or both what
    /// DateTimeOffset.ToString gives, so <c>$status.AppliedAt.ToString('yyyy-MM-dd')</c> keeps working.
    /// </summary>
    public static string Format(PSObject instance, object? format = null, IFormatProvider? provider = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var time = (DateTimeOffset)instance.BaseObject;
        return (format is PSObject wrapped ? wrapped.BaseObject : format) switch
        {
            null when provider is null => OutputText.Time(time.UtcDateTime),
            IFormatProvider onlyProvider => time.ToString(onlyProvider),
            var text => time.ToString(text?.ToString(), provider ?? CultureInfo.CurrentCulture),
        };
    }
}
