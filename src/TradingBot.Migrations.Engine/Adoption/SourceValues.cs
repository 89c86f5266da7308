using System.Globalization;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>Values of another tool's history rows as either driver reads them (PostgreSQL's types, SQLite's integers and text).</summary>
internal static class SourceValues
{
    public static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    public static bool Bool(object? value) => value switch
    {
        bool b => b,
        string s => s is "1" or "true" or "TRUE" or "t",
        null => false,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };

    public static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>A time the history query gave in UTC: a UTC DateTime (PostgreSQL), or text without zone meaning UTC (SQLite).</summary>
    public static DateTime? UtcTime(object? value) => value switch
    {
        null => null,
        DateTime time => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc),
        DateTimeOffset offset => offset.UtcDateTime,
        _ => DateTime.Parse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    };
}
