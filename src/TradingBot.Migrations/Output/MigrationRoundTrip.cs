using TradingBot.Migrations.Engine.Configuration;
using EngineOutcome = TradingBot.Migrations.Engine.Schema.RoundTripOutcome;
using EngineRoundTrip = TradingBot.Migrations.Engine.Schema.RoundTripResult;

namespace TradingBot.Migrations;

/// <summary>One migration's up → down → up on a scratch database (Test-MigrationDrift -RoundTrip).</summary>
/// <remarks>
/// Two faces (see <see cref="TypedMembers"/>): pwsh sees Version typed. Status and Reason are what Export-MigrationReport
/// reads of a result: Succeeded (lossless), Skipped (no down) or Failed.
/// </remarks>
public sealed class MigrationRoundTrip(MigrationVersion version)
{
    public string Version => TypedVersion.Text;

    public required string Name { get; init; }

    /// <summary>Lossless, Differs (the down left another schema, or the second up made another), NoDown, or Failed (the second up failed).</summary>
    public required string Outcome { get; init; }

    /// <summary>Succeeded, Skipped or Failed, as Export-MigrationReport reads a result.</summary>
    public string Status => Outcome switch
    {
        nameof(EngineOutcome.Lossless) => "Succeeded",
        nameof(EngineOutcome.NoDown) => "Skipped",
        _ => "Failed",
    };

    /// <summary>What differed, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>The differences after the down (from the schema before the up), then after the second up (from the first up's).</summary>
    public required MigrationSchemaDifference[] Differences { get; init; }

    /// <summary>The down script (the up where there is none).</summary>
    public string? Path { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal MigrationVersion TypedVersion { get; } = version;

    internal static MigrationRoundTrip From(EngineRoundTrip result, DatabaseTarget target)
    {
        var before = $"the schema before {result.Version.Text}'s up";
        var after = $"the schema after {result.Version.Text}'s up";
        return new MigrationRoundTrip(new MigrationVersion(result.Version.Text))
        {
            Name = result.Name,
            Outcome = result.Outcome.ToString(),
            Reason = result.Reason,
            Differences = result.DownDifferences.Select(d => MigrationSchemaDifference.From(d, before, $"after {result.Version.Text}'s down"))
                .Concat(result.ReupDifferences.Select(d => MigrationSchemaDifference.From(d, after, $"after {result.Version.Text}'s second up")))
                .ToArray(),
            Path = result.Path,
            Environment = target.Environment,
            Target = target.DisplayName,
        };
    }
}
