using TradingBot.Migrations.Engine.Configuration;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>
/// A throwaway empty database of one dialect, for replaying migrations. <see cref="Drop"/> removes it and says when that
/// failed; disposing without dropping (a failure or Ctrl+C on the way) removes it as well, and only traces a failure, so
/// the error that is on its way out stays the one the user sees.
/// </summary>
internal interface IScratchDatabase : IDisposable
{
    DatabaseTarget Target { get; }

    void Drop();
}
