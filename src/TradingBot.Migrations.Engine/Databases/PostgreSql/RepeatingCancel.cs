namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// Cancels a batch in flight when the token fires, and again every half second until the batch is over: PostgreSQL
/// drops a cancel request that reaches the backend while it waits for the next message of a batch, and a batch of
/// many steps has many such moments.
/// </summary>
internal sealed class RepeatingCancel : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly object gate = new();
    private readonly Action cancel;
    private readonly CancellationTokenRegistration registration;
    private Timer? timer;
    private bool over;

    public RepeatingCancel(Action cancel, CancellationToken token)
    {
        this.cancel = cancel;
        registration = token.Register(static state => ((RepeatingCancel)state!).Start(), this);
    }

    public void Dispose()
    {
        registration.Dispose();
        Timer? running;
        lock (gate)
        {
            over = true;
            running = timer;
        }

        // Wait for a cancel being sent, so none reaches the server after the batch, when the next command runs.
        using var stopped = new ManualResetEvent(false);
        if (running is not null && running.Dispose(stopped))
        {
            stopped.WaitOne();
        }
    }

    private void Start()
    {
        lock (gate)
        {
            if (!over)
            {
                timer ??= new Timer(static state => PostgresSession.CancelSafely(((RepeatingCancel)state!).cancel), this, TimeSpan.Zero, Interval);
            }
        }
    }
}
