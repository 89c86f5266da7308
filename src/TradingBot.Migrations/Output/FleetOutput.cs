using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// What a run over several targets writes: each object under an extra type name, its own type's with #Fleet, whose
/// default view (Format.ps1xml) starts with a Target column. The rows of a fleet come from many databases, interleaved
/// as the targets finish; one database's output keeps the view it always had.
/// </summary>
internal static class FleetOutput
{
    public const string Suffix = "#Fleet";

    public static PSObject Tag(object output)
    {
        var wrapped = PSObject.AsPSObject(output);
        wrapped.TypeNames.Insert(0, output.GetType().FullName + Suffix);
        return wrapped;
    }
}
