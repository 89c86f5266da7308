using System.Management.Automation;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// Runs a cmdlet's work on a worker thread while the pipeline thread makes the work's calls to PowerShell as they come
/// (<see cref="PipelineDispatcher"/>): what PowerShell does with the output (the format engine writing a table to the
/// console or a CI log) overlaps with the work instead of waiting between its steps.
/// </summary>
internal static class BackgroundWork
{
    /// <summary>
    /// Runs <paramref name="work"/>; <paramref name="attach"/> is given the dispatcher (and null at the end) for what must
    /// go to the pipeline thread without the command runtime, such as PowerShell migrations.
    /// </summary>
    public static T Run<T>(PSCmdlet cmdlet, Action<PipelineDispatcher?> attach, Func<T> work)
    {
        var original = cmdlet.CommandRuntime;
        using var dispatcher = new PipelineDispatcher();
        attach(dispatcher);
        cmdlet.CommandRuntime = new DispatchingCommandRuntime(original, dispatcher);
        try
        {
            var running = Task.Run(work, CancellationToken.None);
            dispatcher.RunUntil(running);
            return running.GetAwaiter().GetResult();
        }
        finally
        {
            cmdlet.CommandRuntime = original;
            attach(null);
        }
    }
}
