using System.Diagnostics;
using Npgsql;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>Several transactional steps in one round trip (<see cref="IStepPipeline"/>).</summary>
internal sealed class PostgresBatch(PostgresSession session) : IStepPipeline
{
    // One round trip for all the steps: each step is BEGIN, its timeouts, its statements, its history change and COMMIT,
    // and the batch ends in one Sync, so on an error the server skips everything after it (that step's COMMIT and the
    // later steps) and the failed step's transaction is left aborted for RollBackFailedStep. The explicit BEGIN (not the
    // implicit transaction of a batch) makes CREATE INDEX CONCURRENTLY, VACUUM and the like fail with "cannot run inside
    // a transaction block" on every server version; before PostgreSQL 14 an implicit batch transaction lets them run.
    // A step committed when its COMMIT completed; the history change returns the server's timing of the step.
    public int RunInTransactions(IReadOnlyList<TransactionalStep> steps, Action<int, ServerTiming?> committed, CancellationToken cancellation)
    {
        using var batch = new NpgsqlBatch(session.Connection);
        var layout = new List<StepCommands>(steps.Count);
        for (var k = 0; k < steps.Count; k++)
        {
            var (script, change) = steps[k];
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            foreach (var setting in PostgresStepSettings.Set(PostgresStepSettings.For(session, script)))
            {
                batch.BatchCommands.Add(setting);
            }

            var firstStatement = batch.BatchCommands.Count;
            foreach (var statement in script.Statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
            }

            var historyChange = session.History.CommandFor(change, timedByServer: true);
            var history = new NpgsqlBatchCommand(historyChange.Sql + ServerTimingReturned);
            session.History.Bind(history.Parameters, static () => new NpgsqlParameter(), historyChange);
            batch.BatchCommands.Add(history);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            layout.Add(new StepCommands(firstStatement, batch.BatchCommands.Count - 1));
        }

        var timings = new ServerTiming?[steps.Count];
        try
        {
            try
            {
                using (new RepeatingCancel(batch.Cancel, cancellation))
                {
                    ReadTimings(batch, layout, timings);
                }
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                RollBackFailedStep();
                throw;
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            var failed = ReportCommitted(batch, layout, timings, committed);
            if (failed == steps.Count)
            {
                return failed; // every COMMIT completed before the error: the next use of the connection reports it
            }

            throw StepFailure(steps, failed, layout[failed], batch, e, cancellation);
        }

        return ReportCommitted(batch, layout, timings, committed);
    }

    // The history change with RETURNING: when the step's transaction began and how long it has run, by the server's clock.
    private const string ServerTimingReturned = " RETURNING now(), extract(epoch from clock_timestamp() - now())::float8";

    private readonly record struct StepCommands(int FirstStatement, int Commit)
    {
        public int History => Commit - 1;
    }

    // Scripts answer rows too (SELECT, RETURNING), so which command a result belongs to is told by what completed: the
    // reader stands on the first command whose CommandComplete it has not read yet.
    private static void ReadTimings(NpgsqlBatch batch, List<StepCommands> layout, ServerTiming?[] timings)
    {
        using var reader = batch.ExecuteReader();
        var current = 0;
        var step = 0;
        do
        {
            while (current < batch.BatchCommands.Count && batch.BatchCommands[current].StatementType != StatementType.Unknown)
            {
                current++;
            }

            while (step < layout.Count && layout[step].History < current)
            {
                step++;
            }

            if (step < layout.Count && layout[step].History == current && reader.Read())
            {
                timings[step] = new ServerTiming(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), TimeSpan.FromSeconds(reader.GetDouble(1)));
            }
        }
        while (reader.NextResult());
    }

    // Tells the caller about each step whose COMMIT completed (Npgsql sets a command's StatementType from the
    // CommandComplete it reads), in order; returns how many did.
    private static int ReportCommitted(NpgsqlBatch batch, List<StepCommands> layout, ServerTiming?[] timings, Action<int, ServerTiming?> committed)
    {
        var count = 0;
        while (count < layout.Count && batch.BatchCommands[layout[count].Commit].StatementType != StatementType.Unknown)
        {
            committed(count, timings[count]);
            count++;
        }

        return count;
    }

    private MigrationException StepFailure(IReadOnlyList<TransactionalStep> steps, int failed, StepCommands commands, NpgsqlBatch batch, Exception e, CancellationToken cancellation)
    {
        var script = steps[failed].Script;
        if (cancellation.IsCancellationRequested)
        {
            return StatementFailure.Canceled(script, e);
        }

        if (e is PostgresException pg && FailedCommandIndex(batch, pg) is var index &&
            index >= commands.FirstStatement && index < commands.FirstStatement + script.Statements.Count)
        {
            return StatementFailure.Create(session.Target, script, script.Statements[index - commands.FirstStatement], PostgresSession.Describe(pg), pg.Position, pg);
        }

        var lost = e is NpgsqlException npgsql ? ConnectionLost(npgsql) : string.Empty;
        var unanswered = lost.Length > 0 && failed < steps.Count - 1
            ? $"It was sent together with {steps[failed + 1].Script.Version}..{steps[^1].Script.Version}, whose answers never came: the history table says which of them committed. "
            : string.Empty;
        return new MigrationException(MigrationErrors.MigrationFailed,
            session.Target.Redact($"Migration {script.Version} ({Path.GetFileName(script.FilePath)}) failed: {lost}{PostgresSession.Describe(e)} {unanswered}".TrimEnd()), e)
        { Version = script.Version, FilePath = script.FilePath };
    }

    // A failed step leaves the server in an aborted transaction (or, when COMMIT itself failed, in none): ROLLBACK
    // ends it either way (with only a warning when there is none), so the connection can release the run lock and
    // go back to the pool clean. A connection that broke needs nothing: the server rolled back when it went.
    private void RollBackFailedStep()
    {
        if (session.Connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var rollback = session.Command("ROLLBACK");
            rollback.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            Trace.TraceInformation("rollback after a failed step failed: {0}", e.Message);
        }
    }

    // Npgsql does not reliably set PostgresException.BatchCommand (null with Npgsql 10 on a plain failing statement), so fall
    // back to the first command the server never completed: Npgsql sets StatementType from each CommandComplete it reads.
    internal static int FailedCommandIndex(NpgsqlBatch batch, PostgresException e)
    {
        if (e.BatchCommand is { } failed && batch.BatchCommands.IndexOf(failed) is var index and >= 0)
        {
            return index;
        }

        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                return i;
            }
        }

        return -1;
    }

    // A server that stopped or a network that dropped surfaces as a stream error; say what it means.
    private string ConnectionLost(NpgsqlException e) =>
        e is not PostgresException && ((session.Connection.FullState & System.Data.ConnectionState.Broken) != 0 || session.Connection.State != System.Data.ConnectionState.Open)
            ? $"the connection to {session.Target.DisplayName} was lost in the middle of it, so the server rolled its transaction back; check the server, then run Get-MigrationStatus and Invoke-Migration again. Driver: "
            : string.Empty;
}
