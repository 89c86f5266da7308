using System.Runtime.InteropServices;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>A file's identity and times from statx(2): device, inode, size, modification and change time in nanoseconds.</summary>
internal readonly partial record struct FileStamp(ulong Device, ulong Inode, ulong Size, long ModifiedNs, long ChangedNs)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>True when neither time is within <paramref name="margin"/> of <paramref name="now"/> (or after it).</summary>
    public bool SettledBy(DateTimeOffset now, TimeSpan margin)
    {
        var latestNs = Math.Max(ModifiedNs, ChangedNs);
        var nowNs = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        return nowNs - latestNs >= margin.Ticks * 100;
    }

    /// <summary>False where statx is not available (not Linux, an old kernel or C library) or the file cannot be stat'ed.</summary>
    public static unsafe bool TryRead(string path, out FileStamp stamp)
    {
        stamp = default;
        if (unavailable)
        {
            return false;
        }

        var buffer = stackalloc byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
            {
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return false;
        }

        var span = new ReadOnlySpan<byte>(buffer, StatxSize);
        const uint needed = 0x200 /* size */ | 0x100 /* ino */ | 0x40 /* mtime */ | 0x80 /* ctime */;
        if ((Read32(span, 0) & needed) != needed)
        {
            return false;
        }

        stamp = new FileStamp(
            ((ulong)Read32(span, 136) << 32) | Read32(span, 140),
            BitConverter.ToUInt64(span[32..]),
            BitConverter.ToUInt64(span[40..]),
            Nanoseconds(span, 112),
            Nanoseconds(span, 96));
        return true;
    }

    private static uint Read32(ReadOnlySpan<byte> span, int offset) => BitConverter.ToUInt32(span[offset..]);

    private static long Nanoseconds(ReadOnlySpan<byte> span, int offset) =>
        (BitConverter.ToInt64(span[offset..]) * 1_000_000_000L) + BitConverter.ToUInt32(span[(offset + 8)..]);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
