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
    // A class, not a tuple holding the FileStamp struct: the dictionary's code is then the runtime's shared, precompiled
    // instantiation over references, where one over a struct of this assembly is JIT-compiled in every new process and
    // runs unoptimised while a cold status of 10,000 files fills it. Enough locks that the threads fingerprinting a large
    // folder together (MigrationCatalog) seldom wait for each other.
    private readonly ConcurrentDictionary<string, Entry> entries = new(Environment.ProcessorCount * 16, 1024, StringComparer.Ordinal);
    private long hits;
    private int stored; // writes since the last clear: the entries, or more where a file changed and was stored again

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
            // Counted on the side: the dictionary's Count takes every one of its locks.
            if (Interlocked.Increment(ref stored) > maxEntries)
            {
                entries.Clear();
                Volatile.Write(ref stored, 1);
            }

            entries[fullPath] = new Entry(before, fingerprint);
        }

        return fingerprint;
    }

    private sealed record Entry(FileStamp Stamp, ScriptFingerprint Fingerprint);
}
