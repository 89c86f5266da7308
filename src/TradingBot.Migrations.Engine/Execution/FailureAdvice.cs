using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>What a failed migration script tells the user to do next: it depends on which way the script ran and whether its work was rolled back with it.</summary>
public static class FailureAdvice
{
    public static string NextStep(string version, string fileName, int? line, MigrationDirection direction, bool inTransaction)
    {
        var where = line is null ? fileName : $"{fileName} (line {line})";
        if (!inTransaction)
        {
            return $"{fileName} ran outside a transaction, so the statements before the failing one stayed done and migration {version} is recorded as Failed. " +
                $"Finish or undo its changes by hand, then record which with Repair-Migration -Version {version} -Action MarkApplied or MarkRolledBack.";
        }

        return direction == MigrationDirection.Down
            ? $"Fix {where} and run Undo-Migration again; the rollback's transaction was rolled back, so migration {version} is still applied."
            : $"Fix {where} and run Invoke-Migration again; the migration's transaction was rolled back, so it was not recorded as applied.";
    }

    /// <summary>"Migration 1.0.2" or "Rolling back migration 1.0.2", to begin a failure's message.</summary>
    public static string Subject(string version, MigrationDirection direction) =>
        direction == MigrationDirection.Down ? $"Rolling back migration {version}" : $"Migration {version}";
}
