using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// Retrying a migration (or, outside a transaction, one statement) that PostgreSQL stopped with lock_not_available because
/// a lock_timeout (an environment's PostgresLockTimeout or the script's directive) ran out: up to <see cref="Retries"/> more
/// attempts, waiting longer each time (0.5 s, 1 s, 2 s ... up to 30 s) with jitter, so two runs queued behind the same
/// holder do not come back in step. Nothing else is ever retried.
/// </summary>
internal sealed record LockRetry(int Retries)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);

    public int Attempts => Retries + 1;

    /// <summary>Whether the attempt that failed with <paramref name="error"/> is followed by another.</summary>
    public bool Allows(MigrationException error, string? lockTimeout, int attempt) =>
        error.LockNotAvailable && lockTimeout is not null && attempt <= Retries;

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its number, from 1) until it succeeds, retrying while it fails with a lock
    /// timeout this retry allows and <paramref name="repeatable"/> says it may run again; each retry is reported to
    /// <paramref name="retrying"/> before its wait. A lock timeout after a retry says how many attempts there were.
    /// </summary>
    public T Run<T>(Func<int, T> attempt, Func<string?> lockTimeout, Func<bool> repeatable, Func<string> subject, Action<string> retrying,
        CancellationToken cancellation)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return attempt(number);
            }
            catch (MigrationException e) when (Allows(e, lockTimeout(), number) && repeatable())
            {
                var delay = Delay(number);
                retrying($"{subject()}: {Describe(e, number, Attempts, delay)}");
                Wait(delay, cancellation);
                cancellation.ThrowIfCancellationRequested();
            }
            catch (MigrationException e) when (e.LockNotAvailable && number > 1)
            {
                throw GaveUp(e, number);
            }
        }
    }

    /// <summary>The wait before the attempt after <paramref name="attempt"/>: doubling, capped, between half and all of it.</summary>
    public static TimeSpan Delay(int attempt)
    {
        var full = Math.Min(FirstDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), LongestDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(full / 2 + Random.Shared.NextDouble() * full / 2);
    }

    public static void Wait(TimeSpan delay, CancellationToken cancellation) => cancellation.WaitHandle.WaitOne(delay);

    /// <summary>
    /// Whether a statement of a migration that runs outside a transaction may simply run again after a lock timeout: it ran
    /// as one statement in its own transaction, so the timeout undid it whole. Not inside the script's own BEGIN block (the
    /// block is aborted), not a CONCURRENTLY operation (a failed one leaves an invalid index or a detach pending behind),
    /// and not DO or CALL (their bodies may commit part of the work).
    /// </summary>
    public static bool SafeToRepeat(SqlStatement statement, int explicitTransactionDepth)
    {
        if (explicitTransactionDepth > 0 || statement.Verb is "DO" or "CALL")
        {
            return false;
        }

        return !statement.Tokens.Any(t => t.Kind == SqlTokenKind.Word &&
            string.Equals(statement.Text.AsSpan(t.Start - statement.Offset, t.Length).ToString(), "CONCURRENTLY", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The last attempt's error, saying how many attempts there were.</summary>
    public static MigrationException GaveUp(MigrationException error, int attempts) =>
        new(error.Error, $"{error.Message}{Environment.NewLine}Gave up after {attempts} attempts, each stopped by lock_timeout.", error)
        {
            Version = error.Version, FilePath = error.FilePath, Line = error.Line, Statement = error.Statement,
            RecommendedAction = error.RecommendedAction, LockNotAvailable = true,
        };

    public static string Describe(MigrationException error, int attempt, int attempts, TimeSpan delay) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"lock_timeout (lock_not_available) on attempt {attempt} of {attempts}; retrying in {delay.TotalSeconds:0.0} s: {error.Message.Split('\n')[0]}");
}
