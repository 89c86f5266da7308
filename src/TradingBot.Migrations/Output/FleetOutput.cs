using System.Management.Automation;

namespace TradingBot.Migrations;

/// <summary>
/// What a run over several targets writes: each of the module's output objects under an extra type name, its own type's
/// with #Fleet, whose default view (Format.ps1xml) groups the rows under a heading that names their target (each
/// target's rows come out as one block: FleetHost). A column would not fit a URL beside the others in an 80-column CI
/// log. One database's output keeps the view it always had; flat records (-AsPlainObject) and files are left as they are.
/// </summary>
internal static class FleetOutput
{
    public const string Suffix = "#Fleet";

    /// <summary>
    /// Tags one object; on the pipeline thread, where the wrapper gets the session's type data (the types file's
    /// members), which a wrapper made on a worker thread does not in every host.
    /// </summary>
    public static object Tag(object output)
    {
        if (output is PSObject || output.GetType().Namespace != typeof(FleetOutput).Namespace)
        {
            return output;
        }

        var wrapped = PSObject.AsPSObject(output);
        wrapped.TypeNames.Insert(0, output.GetType().FullName + Suffix);
        return wrapped;
    }
}
