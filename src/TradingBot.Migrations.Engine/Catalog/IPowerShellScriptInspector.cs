namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>Answers what only a PowerShell parser can: does a .ps1 migration define Up and Down blocks?</summary>
public interface IPowerShellScriptInspector
{
    /// <summary>Returns the names of the blocks the script defines (Up, Down), or throws a MigrationException when it cannot be parsed.</summary>
    IReadOnlyCollection<string> DefinedBlocks(ScriptFile script);
}
