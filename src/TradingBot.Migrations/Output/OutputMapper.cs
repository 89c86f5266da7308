using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Execution;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations;

/// <summary>Engine results → the module's output types.</summary>
internal static class OutputMapper
{
    public static MigrationStatus ToStatus(MigrationStatusEntry entry, DatabaseTarget target, SqlDialect dialect) =>
        new(new MigrationVersion(entry.Version.Text), entry.State.ToOutput())
    {
        Name = entry.Name,
        Kind = entry.Migration?.Kind.ToString(),
        AppliedAtUtc = entry.Record?.AppliedAtUtc,
        AppliedBy = entry.Record?.AppliedBy,
        TypedDuration = entry.Record is { } r ? TimeSpan.FromMilliseconds(r.ExecutionMilliseconds) : null,
        Checksum = entry.FileChecksum,
        AppliedChecksum = entry.Record?.Checksum,
        OutOfOrder = entry.IsOutOfOrder,
        HasDown = entry.Migration?.HasDown(dialect) ?? false,
        FailedStatement = entry.Record?.FailedStatement,
        Path = entry.Migration?.UpFor(dialect)?.Path,
        Environment = target.Environment,
        Target = target.DisplayName,
    };

    public static MigrationResult ToResult(StepResult result, DatabaseTarget target) => new(
        new MigrationVersion(result.Step.Migration.Version.Text),
        result.Step.Direction.ToOutput(),
        result.Outcome.ToOutput())
    {
        Name = result.Step.Migration.Name,
        TypedDuration = result.Duration,
        StartedAtUtc = result.StartedAtUtc,
        Path = result.Step.Script.Path,
        Environment = target.Environment,
        Target = target.DisplayName,
    };
}
