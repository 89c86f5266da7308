using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>The statements of one migration's up script, and where they come from, for a lock trace.</summary>
internal sealed record TraceScript(string Version, string Name, string? File, IReadOnlyList<SqlStatement> Statements, bool InTransaction)
{
    /// <summary>A statement of the script failed on the scratch database (<paramref name="reason"/>: the database's message).</summary>
    public MigrationException Failed(SqlStatement statement, string reason, Exception inner) =>
        new(MigrationErrors.TraceFailed, $"Tracing migration {Version} failed at line {statement.Line} on the scratch database: {reason}", inner)
        {
            Version = Version,
            FilePath = File,
            Line = statement.Line,
            Statement = statement.Text,
            RecommendedAction = "Fix the statement (it would fail on the target too), or check what the scratch copy lacks that the target has (roles, extensions, data).",
        };
}

/// <summary>
/// Runs a migration's statements one at a time on a scratch database and reports, per statement, the locks it took, the
/// tables it rewrote or scanned, and how long it ran; whatever it changes is rolled back (in a transaction) or left on
/// the scratch database, which is thrown away. Never opened on a target.
/// </summary>
internal interface ILockTracer : IDisposable
{
    IReadOnlyList<TracedStatement> Trace(TraceScript script, CancellationToken cancellation);
}
