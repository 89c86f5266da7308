using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Fleet;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as in 2/4): the targets whose identity (the redacted display
/// name, never a password) hashes to it. The split depends on each target alone, not on the list's order or length, so n
/// CI nodes given the same targets in any order cover each exactly once, without talking to each other.
/// </summary>
public sealed record FleetShard(int Index, int Count)
{
    public const string CircleCiIndexVariable = "CIRCLE_NODE_INDEX";
    public const string CircleCiTotalVariable = "CIRCLE_NODE_TOTAL";

    /// <summary>"i/n" with 1 ≤ i ≤ n, or "CircleCI" for the node CircleCI's parallelism runs this on.</summary>
    public static FleetShard Parse(string text, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.Equals(text.Trim(), "CircleCI", StringComparison.OrdinalIgnoreCase))
        {
            return FromCircleCi(getVariable);
        }

        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
            int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 && index >= 1 && index <= count)
        {
            return new FleetShard(index, count);
        }

        throw new MigrationException(MigrationErrors.InvalidShard,
            $"-Shard '{text}' is not a shard: write i/n with 1 <= i <= n (2/4 is the second of four), or CircleCI.")
        {
            RecommendedAction = "Pass -Shard 1/3, 2/3 and 3/3 on three nodes, or -Shard CircleCI in a job with parallelism.",
        };
    }

    private static FleetShard FromCircleCi(Func<string, string?> getVariable)
    {
        var index = getVariable(CircleCiIndexVariable);
        var total = getVariable(CircleCiTotalVariable);
        if (int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) &&
            int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && i < n)
        {
            return new FleetShard(i + 1, n);
        }

        throw new MigrationException(MigrationErrors.InvalidShard,
            $"-Shard CircleCI needs {CircleCiIndexVariable} (0-based) and {CircleCiTotalVariable}, which CircleCI sets in a job with parallelism; " +
            $"they are '{index}' and '{total}'.")
        {
            RecommendedAction = "Run it in a CircleCI job with parallelism, or pass -Shard i/n.",
        };
    }

    public bool Contains(DatabaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(target.DisplayName), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Count) == Index - 1;
    }

    public IReadOnlyList<DatabaseTarget> Select(IEnumerable<DatabaseTarget> targets) => targets.Where(Contains).ToList();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
