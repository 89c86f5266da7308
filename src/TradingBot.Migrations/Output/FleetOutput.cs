using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// What a run over several targets writes: each object under an extra type name, its own type's with #Fleet, whose
/// default view (Format.ps1xml) groups the rows under a heading that names their target (each target's rows come out as
/// one block: FleetHost). A column would not fit a URL beside the others in an 80-column CI log. One database's output
/// keeps the view it always had.
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
