using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// Several transactional steps under one SQLite commit (<see cref="IStepPipeline"/>): each step runs in a savepoint of
/// its own with its history row, so each is still all or nothing, and the steps share one write transaction, so they
/// share its journal and its syncs (a commit in SQLite's default rollback-journal mode syncs the disk four times; the
/// sqlite3 shell applying 200 small migrations spends most of its time there). Nothing is reported before its commit
/// completed: a crash before it loses the steps of that transaction together, none of them ever reported as applied.
/// </summary>
internal sealed class SqliteBatch(SqliteSession session) : IStepPipeline
{
    private const string Savepoint = "tbm_step";

    // A transaction commits once it has been open this long, so other writers wait at most about this plus one step, as
    // they did between steps committed one at a time, and the progress bar never lags further behind.
    private static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(200);

    public int RunInTransactions(IReadOnlyList<TransactionalStep> steps, Action<int, ServerTiming?> committed, CancellationToken cancellation)
    {
        var next = 0;
        while (next < steps.Count)
        {
            var ran = RunOneTransaction(steps, next, steps.Count - next, committed, cancellation);
            if (ran == 0)
            {
                return next; // the next step's history shows it done by another run: the caller runs it alone to say so
            }

            next += ran;
        }

        return steps.Count;
    }

    // Runs up to `limit` steps from `first` in one write transaction, until MaxHold passes; commits, reports, and returns
    // how many ran. On a failure it commits the steps before the failing one, reports them, and throws.
    private int RunOneTransaction(IReadOnlyList<TransactionalStep> steps, int first, int limit, Action<int, ServerTiming?> committed, CancellationToken cancellation)
    {
        var held = Stopwatch.GetTimestamp();
        var timings = new List<ServerTiming>();
        var transaction = session.BeginWrite();
        try
        {
            while (timings.Count < limit && (timings.Count == 0 || Stopwatch.GetElapsedTime(held) < MaxHold))
            {
                if (RunStep(steps[first + timings.Count], transaction, cancellation) is not { } timing)
                {
                    break;
                }

                timings.Add(timing);
            }

            transaction.Commit();
        }
        catch (Exception e) when (e is MigrationException or OperationCanceledException)
        {
            EndAfterFailure(transaction, steps, first, timings, committed, cancellation);
            throw;
        }
        catch (SqliteException e)
        {
            throw CommitFailed(steps, first, Math.Max(1, timings.Count), e);
        }
        finally
        {
            transaction.Dispose();
            session.EndWrite();
        }

        Report(first, timings, committed);
        return timings.Count;
    }

    // The steps before the failing one stay applied, as they would have with one commit each. Some failures make SQLite
    // roll back the whole transaction (an interrupt, INSERT OR ROLLBACK, RAISE(ROLLBACK), a full disk): then those
    // steps run again in a transaction of their own, unless the run was asked to stop.
    private void EndAfterFailure(SqliteTransaction transaction, IReadOnlyList<TransactionalStep> steps, int first, List<ServerTiming> succeeded,
        Action<int, ServerTiming?> committed, CancellationToken cancellation)
    {
        if (succeeded.Count == 0)
        {
            return;
        }

        if (!TransactionLost)
        {
            try
            {
                transaction.Commit();
                Report(first, succeeded, committed);
            }
            catch (SqliteException e)
            {
                // The failed step's own error is the one to report; the history, read afresh, says what is applied.
                Trace.TraceInformation("committing the steps before a failed one failed: {0}", e.Message);
            }

            return;
        }

        transaction.Dispose();
        session.EndWrite();
        if (!cancellation.IsCancellationRequested)
        {
            RunOneTransaction(steps, first, succeeded.Count, committed, cancellation);
        }
    }

    private bool TransactionLost => SQLitePCL.raw.sqlite3_get_autocommit(session.Connection.Handle) != 0;

    // One step in its savepoint: null when the history shows it done already (nothing of it ran).
    private ServerTiming? RunStep(TransactionalStep step, SqliteTransaction transaction, CancellationToken cancellation)
    {
        var (script, change) = step;
        var startedAt = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        if (session.History.AlreadyDone(change, transaction))
        {
            return null;
        }

        transaction.Save(Savepoint);
        try
        {
            SqliteStepExecutor.RunScript(session, script, change.StartedAt(startedAt), started, transaction, null, cancellation);
        }
        catch when (!TransactionLost)
        {
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            throw;
        }

        transaction.Release(Savepoint);
        return new ServerTiming(startedAt, Stopwatch.GetElapsedTime(started));
    }

    private static void Report(int first, List<ServerTiming> timings, Action<int, ServerTiming?> committed)
    {
        for (var k = 0; k < timings.Count; k++)
        {
            committed(first + k, timings[k]);
        }
    }

    private MigrationException CommitFailed(IReadOnlyList<TransactionalStep> steps, int first, int count, SqliteException e)
    {
        var script = steps[first].Script;
        var versions = count == 1 ? script.Version : $"{script.Version}..{steps[first + count - 1].Script.Version}";
        return new MigrationException(MigrationErrors.MigrationFailed,
            session.Target.Redact($"Committing migration {versions} on '{session.Target.DisplayName}' failed, so none of them was applied: {e.Message}"), e)
        {
            Version = script.Version,
            FilePath = script.FilePath,
            RecommendedAction = "Check the database file and its disk (space, permissions), then run Invoke-Migration again.",
        };
    }
}
