using System.Management.Automation;
using System.Management.Automation.Host;

namespace TradingBot.Migrations.Hosting;

/// <summary>
/// The cmdlet's own command runtime, reached from any thread: calls from worker threads go to the pipeline thread through
/// the dispatcher (output, progress and messages queued, questions and errors waited for), so the single-target code
/// (observer, confirmation, warnings) runs unchanged on workers. A worker may hold its output back as one block
/// (<see cref="HoldOutput"/>).
/// </summary>
internal sealed class DispatchingCommandRuntime(ICommandRuntime inner, PipelineDispatcher dispatcher) : ICommandRuntime2
{
    // The output this worker thread holds back, while a fleet target runs on it.
    [ThreadStatic]
    private static List<(object Output, bool Enumerate)>? held;

    public PSHost Host => inner.Host;

    /// <summary>
    /// Holds back what this thread writes to the output until the returned scope ends, then writes it in one block, each
    /// object passed through <paramref name="onPipelineThread"/> there: a fleet target's rows stay together under its
    /// heading instead of interleaving with the other targets' as they finish.
    /// </summary>
    public IDisposable HoldOutput(Func<object, object> onPipelineThread) => new OutputBlock(this, onPipelineThread);

    public PSTransactionContext CurrentPSTransaction => inner.CurrentPSTransaction;

    public void WriteDebug(string text) => dispatcher.Post(() => inner.WriteDebug(text));

    public void WriteError(ErrorRecord errorRecord) => dispatcher.Invoke(() => inner.WriteError(errorRecord));

    public void WriteObject(object sendToPipeline) => WriteObject(sendToPipeline, enumerateCollection: false);

    public void WriteObject(object sendToPipeline, bool enumerateCollection)
    {
        if (held is { } block && !dispatcher.OnPipelineThread)
        {
            block.Add((sendToPipeline, enumerateCollection));
            return;
        }

        dispatcher.Post(() => inner.WriteObject(sendToPipeline, enumerateCollection));
    }

    public void WriteProgress(ProgressRecord progressRecord) => dispatcher.Post(() => inner.WriteProgress(progressRecord));

    public void WriteProgress(long sourceId, ProgressRecord progressRecord) => dispatcher.Post(() => inner.WriteProgress(sourceId, progressRecord));

    public void WriteVerbose(string text) => dispatcher.Post(() => inner.WriteVerbose(text));

    public void WriteWarning(string text) => dispatcher.Post(() => inner.WriteWarning(text));

    public void WriteCommandDetail(string text) => dispatcher.Post(() => inner.WriteCommandDetail(text));

    public void WriteInformation(InformationRecord informationRecord) =>
        dispatcher.Post(() => (inner as ICommandRuntime2)?.WriteInformation(informationRecord));

    public bool ShouldProcess(string? target) => dispatcher.Invoke(() => inner.ShouldProcess(target));

    public bool ShouldProcess(string? target, string? action) => dispatcher.Invoke(() => inner.ShouldProcess(target, action));

    public bool ShouldProcess(string? verboseDescription, string? verboseWarning, string? caption) =>
        dispatcher.Invoke(() => inner.ShouldProcess(verboseDescription, verboseWarning, caption));

    public bool ShouldProcess(string? verboseDescription, string? verboseWarning, string? caption, out ShouldProcessReason shouldProcessReason)
    {
        var (answer, reason) = dispatcher.Invoke(() => (inner.ShouldProcess(verboseDescription, verboseWarning, caption, out var why), why));
        shouldProcessReason = reason;
        return answer;
    }

    public bool ShouldContinue(string? query, string? caption) => dispatcher.Invoke(() => inner.ShouldContinue(query, caption));

    public bool ShouldContinue(string? query, string? caption, ref bool yesToAll, ref bool noToAll)
    {
        var (yes, no) = (yesToAll, noToAll);
        var (answer, all, none) = dispatcher.Invoke(() => (inner.ShouldContinue(query, caption, ref yes, ref no), yes, no));
        (yesToAll, noToAll) = (all, none);
        return answer;
    }

    public bool ShouldContinue(string? query, string? caption, bool hasSecurityImpact, ref bool yesToAll, ref bool noToAll)
    {
        var (yes, no) = (yesToAll, noToAll);
        var (answer, all, none) = dispatcher.Invoke(() =>
            (inner is ICommandRuntime2 runtime ? runtime.ShouldContinue(query, caption, hasSecurityImpact, ref yes, ref no) : inner.ShouldContinue(query, caption, ref yes, ref no), yes, no));
        (yesToAll, noToAll) = (all, none);
        return answer;
    }

    /// <summary>Makes a call that writes output on the pipeline thread, in order with the rest (queued from a worker).</summary>
    public void Post(Action call) => dispatcher.Post(call);

    public bool TransactionAvailable() => inner.TransactionAvailable();

    public void ThrowTerminatingError(ErrorRecord errorRecord) => dispatcher.Invoke(() => inner.ThrowTerminatingError(errorRecord));

    private void WriteBlock(List<(object Output, bool Enumerate)> block, Func<object, object> onPipelineThread) => dispatcher.Post(() =>
    {
        foreach (var (output, enumerate) in block)
        {
            inner.WriteObject(onPipelineThread(output), enumerate);
        }
    });

    private sealed class OutputBlock : IDisposable
    {
        private readonly DispatchingCommandRuntime runtime;
        private readonly Func<object, object> onPipelineThread;
        private readonly List<(object Output, bool Enumerate)>? outer = held;

        public OutputBlock(DispatchingCommandRuntime runtime, Func<object, object> onPipelineThread)
        {
            this.runtime = runtime;
            this.onPipelineThread = onPipelineThread;
            held = [];
        }

        public void Dispose()
        {
            var block = held!;
            held = outer;
            if (block.Count > 0)
            {
                runtime.WriteBlock(block, onPipelineThread);
            }
        }
    }
}
