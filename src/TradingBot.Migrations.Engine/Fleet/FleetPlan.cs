using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Fleet;

/// <summary>One migration a reviewed plan runs on a target: which file, at which checksum.</summary>
public sealed record PlanFileStep(string Version, string Name, string Direction, string Script, string Checksum);

/// <summary>
/// What a reviewed plan runs on one target (by its redacted name), and the fingerprint of the status it was made from
/// (every version's state and checksums, from the files and the history).
/// </summary>
public sealed record PlanFileTarget(string Target, string StatusFingerprint, IReadOnlyList<PlanFileStep> Steps);

/// <summary>
/// A reviewed plan: `Invoke-Migration -WhatIf -PlanPath plan.json` writes what would run on each target; `-Plan plan.json`
/// runs exactly that, and refuses a target whose plan, made again under its lock, differs in any step, checksum or status.
/// Every shard of a fleet can take the same file. It names targets by their redacted names and holds no password.
/// </summary>
public sealed record FleetPlan(int Format, DateTime CreatedUtc, IReadOnlyList<PlanFileTarget> Targets)
{
    private const int CurrentFormat = 1;
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static PlanFileTarget Describe(DatabaseTarget target, MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanFileTarget(target.DisplayName, Fingerprint(plan),
            plan.Steps.Select(s => new PlanFileStep(s.Migration.Version.Text, s.Migration.Name, s.Direction.ToString(), s.Script.FileName, s.Script.Checksum)).ToList());
    }

    public static FleetPlan Of(IEnumerable<PlanFileTarget> targets) =>
        new(CurrentFormat, DateTime.UtcNow, targets.OrderBy(t => t.Target, StringComparer.Ordinal).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static FleetPlan Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var plan = JsonSerializer.Deserialize<FleetPlan>(File.ReadAllText(path));
            if (plan is { Format: CurrentFormat, Targets: not null } && plan.Targets.All(t => t.Target is not null && t.Steps is not null && t.StatusFingerprint is not null))
            {
                return plan;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, e.Message, e);
        }

        throw Invalid(path, "it is not a plan that Invoke-Migration -PlanPath wrote", null);
    }

    /// <summary>Throws PlanChanged unless <paramref name="plan"/> (made under the target's lock) is what this file approved for it.</summary>
    public void Check(DatabaseTarget target, MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(plan);
        var approved = Targets.FirstOrDefault(t => string.Equals(t.Target, target.DisplayName, StringComparison.Ordinal))
            ?? throw Changed(target, "it is not in the plan");
        var now = Describe(target, plan);
        if (!approved.Steps.SequenceEqual(now.Steps))
        {
            throw Changed(target, $"the plan approved {Describe(approved.Steps)} and it would now run {Describe(now.Steps)}");
        }

        if (!string.Equals(approved.StatusFingerprint, now.StatusFingerprint, StringComparison.Ordinal))
        {
            throw Changed(target, "its migration files or history changed since the plan was made");
        }
    }

    private static string Describe(IReadOnlyList<PlanFileStep> steps) =>
        steps.Count == 0 ? "nothing" : string.Join(", ", steps.Select(s => $"{s.Version} ({s.Checksum[..Math.Min(12, s.Checksum.Length)]})"));

    // Every version's state and both checksums: a file edited, added or removed, or a history row changed, changes it.
    private static string Fingerprint(MigrationPlan plan)
    {
        var text = string.Join('\n', plan.Status.Select(s => $"{s.Version.Text}|{s.State}|{s.FileChecksum}|{s.Record?.Checksum}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    private static MigrationException Changed(DatabaseTarget target, string why) =>
        new(MigrationErrors.PlanChanged, $"{target.DisplayName} was not migrated: {why}.")
        {
            RecommendedAction = "Make and review the plan again (Invoke-Migration -WhatIf -PlanPath plan.json), then apply the new one.",
        };

    private static MigrationException Invalid(string path, string why, Exception? inner) =>
        new(MigrationErrors.InvalidPlanFile, $"{path} cannot be used as a plan: {why}.", inner)
        {
            FilePath = path,
            RecommendedAction = "Pass the file Invoke-Migration -WhatIf -PlanPath wrote, unchanged.",
        };
}
