using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace TradingBot.Migrations;

/// <summary>
/// The computed cells of the default format views (TradingBot.Migrations.Format.ps1xml): hidden CodeProperties in
/// TradingBot.Migrations.Types.ps1xml (IsHidden, so Get-Member, Format-List *, Select-Object *, Export-Csv and
/// ConvertTo-Json do not show them). States and severities are coloured under $PSStyle.OutputRendering Ansi, and under
/// Host on a terminal; not in PlainText, and not when pwsh's output is redirected (a CI log).
/// </summary>
/// <remarks>
/// Why not script blocks in the views, as before: a fresh pwsh compiles every call site of a view's script blocks
/// ($_.State, $PSStyle.OutputRendering, -f) on first use, so the first table a CI step printed JIT-compiled about 340
/// more methods than with these (README, Performance: "Cold start in real pwsh").
/// </remarks>
public static class OutputView
{
    /// <summary>
    /// $Host.UI.SupportsVirtualTerminal of the session whose cmdlet wrote objects last: a CodeProperty getter has no
    /// way to its session's host, so the cmdlets record it (MigrationCmdletBase.BeginProcessing).
    /// </summary>
    internal static volatile bool HostSupportsVirtualTerminal;

    // $PSStyle (pwsh 7.2 and later) is not in PowerShellStandard 5.1, which the cmdlets compile against: its
    // OutputRendering, which users set, is read by reflection; its colours are fixed escape sequences.
    private const string Reset = "\e[0m", Red = "\e[31m", Green = "\e[32m", Yellow = "\e[33m", Magenta = "\e[35m", Cyan = "\e[36m", BrightBlack = "\e[90m";
    private static readonly PropertyInfo? StyleInstanceProperty =
        Type.GetType("System.Management.Automation.PSStyle, System.Management.Automation")?.GetProperty("Instance");
    private static readonly PropertyInfo? OutputRenderingProperty = StyleInstanceProperty?.PropertyType.GetProperty("OutputRendering");

    public static string StateCell(PSObject instance)
    {
        var status = (MigrationStatus)Base(instance);
        return Coloured(status.State, status.TypedState switch
        {
            MigrationState.Applied => Green,
            MigrationState.Pending => Yellow,
            MigrationState.Modified => Magenta,
            MigrationState.Missing => BrightBlack,
            MigrationState.Failed => Red,
            MigrationState.Running => Cyan,
            _ => "",
        });
    }

    /// <summary>2026-11-24 09:30:00Z, or nothing when not applied.</summary>
    public static string? AppliedAtCell(PSObject instance) =>
        ((MigrationStatus)Base(instance)).AppliedAtUtc is { } time
            ? OutputText.AsUtc(time).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.CurrentCulture) + "Z"
            : null;

    /// <summary>12 ms (1,234 ms), or nothing for a status without a duration.</summary>
    public static string? DurationCell(PSObject instance) => Base(instance) switch
    {
        MigrationStatus { TypedDuration: { } duration } => Milliseconds(duration),
        MigrationResult result => Milliseconds(result.TypedDuration),
        _ => null,
    };

    public static string StatusCell(PSObject instance)
    {
        var result = (MigrationResult)Base(instance);
        return Coloured(result.Status, result.TypedStatus switch
        {
            MigrationResultStatus.Succeeded => Green,
            MigrationResultStatus.Skipped => BrightBlack,
            MigrationResultStatus.Failed => Red,
            _ => "",
        });
    }

    /// <summary>Error, Warning or Info; "Warning (suppressed)", never coloured, for a suppressed finding.</summary>
    public static string SeverityCell(PSObject instance)
    {
        var finding = (SafetyFinding)Base(instance);
        if (finding.Suppressed)
        {
            return $"{finding.Severity} (suppressed)";
        }

        return Coloured(finding.Severity, finding.TypedSeverity switch
        {
            SafetySeverity.Error => Red,
            SafetySeverity.Warning => Yellow,
            _ => "",
        });
    }

    /// <summary>The findings' group heading: "1.0.11 drop-orders", or "database" for a finding about the database.</summary>
    public static string MigrationCell(PSObject instance)
    {
        var finding = (SafetyFinding)Base(instance);
        return finding.TypedVersion is { } version ? $"{version} {finding.Name}" : "database";
    }

    /// <summary>The findings' group heading in a fleet, which names the target: "1.0.11 drop-orders · postgres://app@db/tenant_7".</summary>
    public static string FleetMigrationCell(PSObject instance) => $"{MigrationCell(instance)} · {((SafetyFinding)Base(instance)).Target}";

    public static string LossesCell(PSObject instance) => string.Join("; ", ((RollbackAssessment)Base(instance)).Losses);

    private static string Milliseconds(TimeSpan duration) =>
        string.Format(CultureInfo.CurrentCulture, "{0:N0} ms", duration.TotalMilliseconds);

    private static string Coloured(string text, string colour)
    {
        var rendering = OutputRenderingProperty?.GetValue(StyleInstanceProperty!.GetValue(null))?.ToString();
        var ansi = rendering == "Ansi" || (rendering == "Host" && HostSupportsVirtualTerminal && !Console.IsOutputRedirected);
        return ansi ? colour + text + Reset : text;
    }

    private static object Base(PSObject instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.BaseObject;
    }
}
