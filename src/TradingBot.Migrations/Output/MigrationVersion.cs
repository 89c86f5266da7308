using EngineVersion = TradingBot.Migrations.Engine.Catalog.MigrationVersion;

namespace TradingBot.Migrations;

/// <summary>
/// A migration version as scripts see it: compares part by part, so
/// `Get-MigrationStatus | Where-Object Version -gt 1.0.2` puts 1.0.10 after 1.0.9.
/// PowerShell converts the right-hand string through the string constructor.
/// </summary>
public sealed class MigrationVersion : IComparable, IComparable<MigrationVersion>, IEquatable<MigrationVersion>
{
    // Typed as object so this public type names no engine type: PowerShell may inspect it before the engine is loaded.
    private readonly object parsed;

    public MigrationVersion(string version)
    {
        parsed = EngineVersion.Parse(version);
        Text = version;
    }

    public string Text { get; }

    public static MigrationVersion Parse(string version) => new(version);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        MigrationVersion other => CompareTo(other),
        string text => CompareTo(new MigrationVersion(text)),
        _ => CompareTo(new MigrationVersion(Convert.ToString(obj, System.Globalization.CultureInfo.InvariantCulture)!)),
    };

    public int CompareTo(MigrationVersion? other) => other is null ? 1 : ((EngineVersion)parsed).CompareTo((EngineVersion)other.parsed);

    public bool Equals(MigrationVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is MigrationVersion other && Equals(other);

    public override int GetHashCode() => parsed.GetHashCode();

    public override string ToString() => Text;

    internal EngineVersion ToEngine() => (EngineVersion)parsed;

    public static bool operator ==(MigrationVersion? left, MigrationVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(MigrationVersion? left, MigrationVersion? right) => !(left == right);

    public static bool operator <(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(MigrationVersion left, MigrationVersion right) => left.CompareTo(right) >= 0;
}
