using System.Globalization;

namespace TradingBot.Migrations;

/// <summary>
/// The text the output objects' CLR properties give ConvertTo-Json (see <see cref="TypedMembers"/>), and that their
/// typed members print in Export-Csv: one form for each kind of value, whichever way it is written.
/// </summary>
internal static class OutputText
{
    /// <summary>ISO 8601 in UTC with its zone: 2026-11-24T09:30:00.0000000Z.</summary>
    public static string Time(DateTime utc) => AsUtc(utc).ToString("o", CultureInfo.InvariantCulture);

    public static string? Time(DateTime? utc) => utc is { } value ? Time(value) : null;

    /// <summary>TimeSpan's invariant constant form, which [timespan] and TimeSpan.Parse read back: 00:00:01.2340000.</summary>
    public static string? Span(TimeSpan? span) => span?.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>The history stores UTC; a time read back without a kind is UTC, not local.</summary>
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
