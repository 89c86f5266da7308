namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// The run lock on SQLite: an exclusive lock on a file beside the database (<c>&lt;database&gt;-run-lock</c>), held for
/// the whole run, so it covers <c>-- transaction: none</c> migrations that SQLite's own write lock, taken step by step,
/// does not. The operating system holds it for the open file: it goes when the holding process ends, however it ends
/// (a SIGKILL too), so a killed run can never leave it held; the file itself staying behind is harmless. Waiters poll
/// until the run's lock timeout. Runs on one machine share it; a database on a network file system is only as safe as
/// that file system's locks.
/// </summary>
internal sealed class SqliteRunLock : IDisposable
{
    private readonly FileStream file;

    private SqliteRunLock(FileStream file) => this.file = file;

    public static string PathFor(string databaseFile) => databaseFile + "-run-lock";

    public static SqliteRunLock Acquire(string displayName, string databaseFile, TimeSpan timeout, CancellationToken cancellation)
    {
        var path = PathFor(databaseFile);
        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (TryTake(path, out var held) is { } taken)
            {
                return new SqliteRunLock(taken);
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new MigrationException(MigrationErrors.MigrationLockTimeout,
                    $"Another migration run holds the lock on the SQLite database '{displayName}' ({path}: {held}); gave up after {timeout.TotalSeconds:0.#} s. Nothing was changed.")
                {
                    RecommendedAction = "Wait for the other run to finish, or raise -LockTimeout. The lock goes when the process holding it ends, however it ends.",
                };
            }

            if (cancellation.WaitHandle.WaitOne(pause < remaining ? pause : remaining))
            {
                throw new MigrationException(MigrationErrors.OperationCanceled, "Canceled while waiting for the migration lock; nothing was changed.");
            }

            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200) + Random.Shared.Next(10));
        }
    }

    /// <summary>Whether a run holds the lock now (a look, not a wait); false where there is no lock file.</summary>
    public static bool IsHeld(string databaseFile)
    {
        var path = PathFor(databaseFile);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var taken = TryTake(path, out _);
            return taken is null;
        }
        catch (MigrationException)
        {
            return false; // a lock file this user cannot open: it cannot tell
        }
    }

    private static FileStream? TryTake(string path, out string held)
    {
        try
        {
            // FileShare.None is an exclusive flock on Unix and a share lock on Windows: both belong to the open file.
            held = string.Empty;
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            held = e.Message;
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new MigrationException(MigrationErrors.SqliteError,
                $"Cannot open the run lock file {path}: {e.Message}", e)
            {
                RecommendedAction = "Make the database's folder writable for this user.",
            };
        }
    }

    public void Dispose() => file.Dispose();
}
