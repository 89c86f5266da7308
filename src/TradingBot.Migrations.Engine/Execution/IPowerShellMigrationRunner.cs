using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// Runs a PowerShell migration's Up or Down block. The cmdlet assembly implements it, so the script
/// runs in the caller's runspace; the engine only provides the transaction-bound context.
/// </summary>
public interface IPowerShellMigrationRunner
{
    void Run(PlannedStep step, MigrationContext context);
}
