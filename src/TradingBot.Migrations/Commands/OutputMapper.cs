using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;
using EngineDirection = TradingBot.Migrations.Engine.Planning.MigrationDirection;

namespace TradingBot.Migrations.Commands;

/// <summary>Engine results → the module's output types.</summary>
internal static class OutputMapper
{
    public static MigrationStatus ToStatus(MigrationStatusEntry entry, DatabaseTarget target, SqlDialect dialect) => new()
    {
        Version = new MigrationVersion(entry.Version.Text),
        Name = entry.Name,
        State = (MigrationState)(int)entry.State,
        Kind = entry.Migration?.Kind.ToString(),
        AppliedAt = entry.Record?.AppliedAtUtc,
        AppliedBy = entry.Record?.AppliedBy,
        Duration = entry.Record is { } r ? TimeSpan.FromMilliseconds(r.ExecutionMilliseconds) : null,
        Checksum = entry.FileChecksum,
        AppliedChecksum = entry.Record?.Checksum,
        OutOfOrder = entry.IsOutOfOrder,
        HasDown = entry.Migration?.HasDown(dialect) ?? false,
        FailedStatement = entry.Record?.FailedStatement,
        Path = entry.Migration?.UpFor(dialect)?.Path,
        Environment = target.Environment,
        Target = target.DisplayName,
    };

    public static MigrationResult ToResult(StepResult result, DatabaseTarget target) => new()
    {
        Version = new MigrationVersion(result.Step.Migration.Version.Text),
        Name = result.Step.Migration.Name,
        Direction = result.Step.Direction == EngineDirection.Up ? MigrationDirection.Up : MigrationDirection.Down,
        Status = result.Outcome switch
        {
            StepOutcome.Succeeded => MigrationResultStatus.Succeeded,
            StepOutcome.Skipped => MigrationResultStatus.Skipped,
            _ => MigrationResultStatus.Failed,
        },
        Duration = result.Duration,
        StartedAt = result.StartedAtUtc,
        Path = result.Step.Script.Path,
        Environment = target.Environment,
        Target = target.DisplayName,
    };
}
