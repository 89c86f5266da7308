using System.Globalization;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// A migration version: dotted numbers compared part by part (1.0.10 after 1.0.9), or a UTC
/// timestamp such as 20261124093000 (a single part, so it compares as a number).
/// </summary>
public sealed class MigrationVersion : IComparable<MigrationVersion>, IEquatable<MigrationVersion>
{
    private readonly ulong[] parts;

    private MigrationVersion(ulong[] parts, string text)
    {
        this.parts = parts;
        Text = text;
    }

    public string Text { get; }

    /// <summary>True for a 12 to 14 digit single-part version: a yyyyMMddHHmm[ss] timestamp.</summary>
    public bool IsTimestamp => parts.Length == 1 && Text.Length is >= 12 and <= 14;

    public static MigrationVersion Parse(string text)
    {
        if (!TryParse(text, out var version, out var problem))
        {
            throw new FormatException(problem);
        }

        return version;
    }

    public static bool TryParse(string? text, out MigrationVersion version, out string problem)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the version is empty";
            return false;
        }

        var pieces = text.Split('.');
        var parts = new ulong[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            if (piece.Length == 0 || piece.Length > 19 || !piece.All(char.IsAsciiDigit) ||
                !ulong.TryParse(piece, NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
            {
                problem = $"'{text}' is not a version: use dotted numbers such as 1.0.2, or a UTC timestamp such as 20261124093000";
                return false;
            }
        }

        if (pieces.Length == 1 && text.Length is >= 12 and <= 14 &&
            !DateTime.TryParseExact(text.PadRight(14, '0'), "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problem = $"'{text}' looks like a timestamp but is not a valid date and time (yyyyMMddHHmmss)";
            return false;
        }

        version = new MigrationVersion(parts, text);
        problem = string.Empty;
        return true;
    }

    /// <summary>The next patch version (1.0.9 → 1.0.10); a single part is incremented.</summary>
    public MigrationVersion NextPatch()
    {
        var next = (ulong[])parts.Clone();
        next[^1]++;
        return new MigrationVersion(next, string.Join('.', next.Select(p => p.ToString(CultureInfo.InvariantCulture))));
    }

    public int CompareTo(MigrationVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var length = Math.Max(parts.Length, other.parts.Length);
        for (var i = 0; i < length; i++)
        {
            var mine = i < parts.Length ? parts[i] : 0;
            var theirs = i < other.parts.Length ? other.parts[i] : 0;
            if (mine != theirs)
            {
                return mine.CompareTo(theirs);
            }
        }

        return 0;
    }

    public bool Equals(MigrationVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is MigrationVersion other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        var significant = parts.Length;
        while (significant > 1 && parts[significant - 1] == 0)
        {
            significant--;
        }

        for (var i = 0; i < significant; i++)
        {
            hash.Add(parts[i]);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => Text;

    public static bool operator ==(MigrationVersion? left, MigrationVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(MigrationVersion? left, MigrationVersion? right) => !(left == right);

    public static bool operator <(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) >= 0;
}
