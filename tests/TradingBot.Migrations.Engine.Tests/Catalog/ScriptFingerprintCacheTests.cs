using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Catalog;

/// <summary>The in-process fingerprint cache: used for unchanged files, never for a changed one.</summary>
public sealed class ScriptFingerprintCacheTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly MigrationFolder folder = new();

    public void Dispose() => folder.Dispose();

    // With no settling time every read is cacheable, so each test changes files only after the clock has moved on.
    private static ScriptFingerprintCache Cache() => new(TimeSpan.Zero);

    private static void LetTheClockTick() => Thread.Sleep(50);

    [Fact]
    public void An_unchanged_file_is_answered_from_the_cache_on_Linux()
    {
        var path = folder.File("1__a.up.sql", "CREATE TABLE a (id int);").PathOf("1__a.up.sql");
        var cache = Cache();

        var first = cache.Get(path);
        var second = cache.Get(path);

        Assert.Equal(first, second);
        Assert.Equal(OperatingSystem.IsLinux() ? 1 : 0, cache.Hits);
    }

    [Fact]
    public void A_same_size_edit_with_the_old_modification_time_put_back_is_still_seen()
    {
        var path = folder.File("1__a.up.sql", "CREATE TABLE a (id int);").PathOf("1__a.up.sql");
        File.SetLastWriteTimeUtc(path, LongAgo);
        var cache = Cache();
        var before = cache.Get(path);
        LetTheClockTick();

        File.WriteAllText(path, "CREATE TABLE b (id int);");
        File.SetLastWriteTimeUtc(path, LongAgo);

        var after = cache.Get(path);
        Assert.NotEqual(before.Checksum, after.Checksum);
        Assert.Equal(ScriptFile.FromText(path, "CREATE TABLE b (id int);").Checksum, after.Checksum);
    }

    [Fact]
    public void A_file_replaced_by_another_with_the_same_size_and_times_is_still_seen()
    {
        var path = folder.File("1__a.up.sql", "CREATE TABLE a (id int);").PathOf("1__a.up.sql");
        var cache = Cache();
        var before = cache.Get(path);
        var stamp = File.GetLastWriteTimeUtc(path);
        LetTheClockTick();

        var replacement = folder.File("replacement.tmp", "CREATE TABLE c (id int);").PathOf("replacement.tmp");
        File.SetLastWriteTimeUtc(replacement, stamp);
        File.Move(replacement, path, overwrite: true);

        Assert.NotEqual(before.Checksum, cache.Get(path).Checksum);
    }

    [Fact]
    public void A_file_changed_within_the_settling_time_is_not_cached()
    {
        var path = folder.File("1__a.up.sql", "CREATE TABLE a (id int);").PathOf("1__a.up.sql");
        var cache = new ScriptFingerprintCache(TimeSpan.FromHours(1));

        cache.Get(path);
        cache.Get(path);

        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void The_directives_come_back_from_the_cache_too()
    {
        var path = folder.File("1__a.up.sql", "-- transaction: none\n-- lock_timeout: 5s\nCREATE INDEX CONCURRENTLY i ON t (c);").PathOf("1__a.up.sql");
        var cache = Cache();
        cache.Get(path);

        var cached = cache.Get(path);

        Assert.False(cached.Directives.RunsInTransaction);
        Assert.Equal("5s", cached.Directives.LockTimeout);
    }

    [Fact]
    public void A_cache_that_reaches_its_size_starts_again_rather_than_growing()
    {
        folder.File("1__a.up.sql", "SELECT 1;").File("2__b.up.sql", "SELECT 2;").File("3__c.up.sql", "SELECT 3;");
        var cache = new ScriptFingerprintCache(TimeSpan.Zero, maxEntries: 2);

        foreach (var name in new[] { "1__a.up.sql", "2__b.up.sql", "3__c.up.sql", "1__a.up.sql" })
        {
            cache.Get(folder.PathOf(name));
        }

        Assert.Equal(0, cache.Hits);
    }
}
