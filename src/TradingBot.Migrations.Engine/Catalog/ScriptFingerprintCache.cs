using System.Collections.Concurrent;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// Remembers each file's fingerprint for the life of the process (a pwsh session runs many commands),
/// keyed on the file's identity, size, modification time and change time, the way git's index does.
/// </summary>
/// <remarks>
/// A stamp is trusted only where the change time is known (Linux), because a tool can set a file's
/// modification time back but not its change time; and only for files last changed more than
/// <c>settledAfter</c> before they were read, because timestamps are coarse: a write in the same
/// tick as the read would leave the stamp as it was. Anything else is read and hashed every time.
/// </remarks>
internal sealed class ScriptFingerprintCache(TimeSpan settledAfter, int maxEntries = 200_000)
{
    private readonly ConcurrentDictionary<string, (FileStamp Stamp, ScriptFingerprint Fingerprint)> entries = new(StringComparer.Ordinal);
    private long hits;

    public static ScriptFingerprintCache Shared { get; } = new(TimeSpan.FromSeconds(2));

    /// <summary>How many fingerprints were answered without reading the file.</summary>
    public long Hits => Interlocked.Read(ref hits);

    public ScriptFingerprint Get(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!FileStamp.TryRead(fullPath, out var before))
        {
            return ScriptFingerprint.Of(path, ScriptFile.ReadText(path));
        }

        if (entries.TryGetValue(fullPath, out var known) && known.Stamp == before)
        {
            Interlocked.Increment(ref hits);
            return known.Fingerprint;
        }

        var fingerprint = ScriptFingerprint.Of(path, ScriptFile.ReadText(path));
        // Kept only if the file did not change while it was read and had not changed for a while before.
        if (FileStamp.TryRead(fullPath, out var after) && after == before && before.SettledBy(DateTimeOffset.UtcNow, settledAfter))
        {
            if (entries.Count >= maxEntries)
            {
                entries.Clear();
            }

            entries[fullPath] = (before, fingerprint);
        }

        return fingerprint;
    }
}
