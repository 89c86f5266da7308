using System.Collections.Concurrent;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Runs calls on the pipeline thread for worker threads: PowerShell accepts WriteObject, WriteError, ShouldProcess and
/// script blocks only from the thread that runs the cmdlet. A worker's call waits until the pipeline thread has made it,
/// so each target's output stays in order and a slow consumer slows the workers down instead of piling up.
/// </summary>
internal sealed class PipelineDispatcher : IDisposable
{
    private readonly int owner = System.Environment.CurrentManagedThreadId;
    private readonly BlockingCollection<Action> calls = [];

    public bool OnPipelineThread => System.Environment.CurrentManagedThreadId == owner;

    public T Invoke<T>(Func<T> call)
    {
        if (OnPipelineThread)
        {
            return call();
        }

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

    /// <summary>On the pipeline thread: makes the workers' calls until <paramref name="work"/> (which holds every worker) has ended.</summary>
    public void RunUntil(Task work)
    {
        work.ContinueWith(_ => calls.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var call in calls.GetConsumingEnumerable())
        {
            call();
        }
    }

    public void Dispose() => calls.Dispose();
}
