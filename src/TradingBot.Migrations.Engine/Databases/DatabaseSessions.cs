using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Opens the session for a target's dialect.</summary>
internal static class DatabaseSessions
{
    /// <param name="userTypesNeeded">
    /// Whether migrations may read values of the database's own types (enums, domains, extension types) through the
    /// session: PowerShell migrations can; the engine and SQL scripts never read such values.
    /// </param>
    public static IDatabaseSession Open(DatabaseTarget target, HistoryTableName historyTable, bool readOnly, bool userTypesNeeded, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(target);
        return DatabaseDialects.For(target.Dialect).Open(target, historyTable, readOnly, userTypesNeeded, cancellation);
    }
}
