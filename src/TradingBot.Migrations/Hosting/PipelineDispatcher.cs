using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Runs calls on the pipeline thread for worker threads: PowerShell accepts WriteObject, WriteError, ShouldProcess and
/// script blocks only from the thread that runs the cmdlet. A call that answers something (a question, a script block)
/// waits until the pipeline thread has made it; output, progress and verbose lines are queued and the worker goes on,
/// so the pipeline thread formats and writes them while the work continues. One queue keeps every call in order, and a
/// slow consumer still slows the workers once <see cref="MaxQueued"/> calls wait.
/// </summary>
internal sealed class PipelineDispatcher : IDisposable
{
    private const int MaxQueued = 1024;

    private readonly int owner = System.Environment.CurrentManagedThreadId;
    private readonly BlockingCollection<Action> calls = new(MaxQueued);

    // The first queued call that threw on the pipeline thread (a downstream command that stopped the pipeline, a
    // preference set to Stop): the worker gets it at its next call, the pipeline thread once the work has ended.
    private ExceptionDispatchInfo? failure;

    public bool OnPipelineThread => System.Environment.CurrentManagedThreadId == owner;

    public T Invoke<T>(Func<T> call)
    {
        if (OnPipelineThread)
        {
            return call();
        }

        ThrowIfFailed();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Add(() =>
        {
            try
            {
                done.SetResult(call());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Invoke(Action call) => Invoke(() =>
    {
        call();
        return true;
    });

    /// <summary>Queues a call that answers nothing and returns at once (on the pipeline thread: makes it).</summary>
    public void Post(Action call)
    {
        if (OnPipelineThread)
        {
            call();
            return;
        }

        ThrowIfFailed();
        calls.Add(() =>
        {
            if (Volatile.Read(ref failure) is not null)
            {
                return;
            }

            try
            {
                call();
            }
            catch (Exception e)
            {
                Volatile.Write(ref failure, ExceptionDispatchInfo.Capture(e));
            }
        });
    }

    /// <summary>On the pipeline thread: makes the workers' calls until <paramref name="work"/> (which holds every worker) has ended.</summary>
    public void RunUntil(Task work)
    {
        work.ContinueWith(_ => calls.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var call in calls.GetConsumingEnumerable())
        {
            call();
        }

        ThrowIfFailed();
    }

    public void Dispose() => calls.Dispose();

    private void ThrowIfFailed() => Volatile.Read(ref failure)?.Throw();
}
