using System.Management.Automation;

namespace TradingBot.Migrations;

internal static class FileOutput
{
    /// <summary>
    /// Emits a file as Get-Item does: the FileInfo the FileSystem provider gives, with its PSPath, PSParentPath and
    /// PSProvider, which pwsh's FileSystem view needs to fill Mode and Length and to group by directory.
    /// </summary>
    public static void WriteFile(this PSCmdlet cmdlet, string path)
    {
        void Write()
        {
            // Provider-qualified, so it is found from any current location (Env:, a registry drive).
            foreach (var item in cmdlet.InvokeProvider.Item.Get([@"Microsoft.PowerShell.Core\FileSystem::" + path], force: false, literalPath: true))
            {
                cmdlet.WriteObject(item);
            }
        }

        // The provider belongs to the pipeline thread, like the output: from a worker, both go there.
        if (cmdlet.CommandRuntime is Hosting.DispatchingCommandRuntime worker)
        {
            worker.Post(Write);
        }
        else
        {
            Write();
        }
    }
}
