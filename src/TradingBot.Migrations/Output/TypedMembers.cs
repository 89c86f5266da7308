using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// The typed members pwsh sees on the output objects: CodeProperties in TradingBot.Migrations.Types.ps1xml, which
/// shadow the CLR properties of the same name for everything that reads an object through PowerShell (Where-Object,
/// Sort-Object, Select-Object, Export-Csv, the format views, parameter binding by property name).
/// </summary>
/// <remarks>
/// Why two faces: ConvertTo-Json reads a class's CLR properties by reflection, recursing into objects and writing
/// enums as numbers and a TimeSpan as its fifteen properties, whatever the type data says. So the CLR properties hold
/// what a JSON file should say (1.0.10, Applied, ISO 8601 UTC times, 00:00:00.0120000), and these give pwsh the
/// values that compare: a version part by part, a state as an enum, a time as an instant, a duration as a TimeSpan.
/// README, "Reports", has the alternatives that were tried.
/// </remarks>
public static class TypedMembers
{
    public static MigrationVersion? Version(PSObject instance) => Base(instance) switch
    {
        MigrationStatus status => status.TypedVersion,
        MigrationResult result => result.TypedVersion,
        SafetyFinding finding => finding.TypedVersion,
        RollbackAssessment assessment => assessment.TypedVersion,
        MigrationRepairResult repair => repair.TypedVersion,
        MigrationRoundTrip roundTrip => roundTrip.TypedVersion,
        TracedStatement traced => traced.TypedVersion,

        MigrationImportResult import => import.TypedVersion,
        MigrationBaselineEntry baseline => baseline.TypedVersion,
        _ => null,
    };

    /// <summary>The CLR Name again, listed here only so that Export-Csv and Format-List * put it next to Version.</summary>
    public static string? Name(PSObject instance) => Base(instance) switch
    {
        MigrationStatus status => status.Name,
        MigrationResult result => result.Name,
        SafetyFinding finding => finding.Name,
        RollbackAssessment assessment => assessment.Name,
        MigrationRepairResult repair => repair.Name,
        MigrationRoundTrip roundTrip => roundTrip.Name,
        TracedStatement traced => traced.Name,

        MigrationImportResult import => import.Name,
        MigrationBaselineEntry baseline => baseline.Name,
        _ => null,
    };

    public static MigrationState State(PSObject instance) => ((MigrationStatus)Base(instance)).TypedState;

    /// <summary>A DateTimeOffset that prints as ISO 8601 UTC (<see cref="UtcTimestamp"/>), or null when not applied.</summary>
    public static PSObject? AppliedAt(PSObject instance) => UtcTimestamp.Wrap(((MigrationStatus)Base(instance)).AppliedAtUtc);

    public static TimeSpan? Duration(PSObject instance) => Base(instance) switch
    {
        MigrationStatus status => status.TypedDuration,
        MigrationResult result => result.TypedDuration,
        TracedStatement traced => traced.TypedDuration,
        _ => null,
    };

    public static TimeSpan? EstimatedWait(PSObject instance) => ((SafetyFinding)Base(instance)).TypedEstimatedWait;

    public static MigrationDirection Direction(PSObject instance) => ((MigrationResult)Base(instance)).TypedDirection;

    public static MigrationResultStatus Status(PSObject instance) => ((MigrationResult)Base(instance)).TypedStatus;

    /// <summary>A DateTimeOffset that prints as ISO 8601 UTC (<see cref="UtcTimestamp"/>).</summary>
    public static PSObject StartedAt(PSObject instance) => UtcTimestamp.Wrap(((MigrationResult)Base(instance)).StartedAtUtc)!;

    public static SafetySeverity Severity(PSObject instance) => Base(instance) switch
    {
        MigrationSchemaDifference difference => difference.TypedSeverity,
        var other => ((SafetyFinding)other).TypedSeverity,
    };

    public static RollbackKind Kind(PSObject instance) => ((RollbackAssessment)Base(instance)).TypedKind;

    public static MigrationRepairAction Action(PSObject instance) => ((MigrationRepairResult)Base(instance)).TypedAction;

    public static MigrationState PreviousState(PSObject instance) => ((MigrationRepairResult)Base(instance)).TypedPreviousState;

    private static object Base(PSObject instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.BaseObject;
    }
}
