using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>The statements of one migration's up script, and where they come from, for a lock trace.</summary>
internal sealed record TraceScript(string Version, string Name, string? File, IReadOnlyList<SqlStatement> Statements, bool InTransaction);

/// <summary>
/// Runs a migration's statements one at a time on a scratch database and reports, per statement, the locks it took, the
/// tables it rewrote or scanned, and how long it ran; whatever it changes is rolled back (in a transaction) or left on
/// the scratch database, which is thrown away. Never opened on a target.
/// </summary>
internal interface ILockTracer : IDisposable
{
    IReadOnlyList<TracedStatement> Trace(TraceScript script, CancellationToken cancellation);
}
