namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>What status and planning need from a script without holding its text: its checksum and directives.</summary>
internal sealed record ScriptFingerprint(string Checksum, ScriptDirectives Directives)
{
    public static ScriptFingerprint Of(string path, string normalisedText) =>
        new(ScriptFile.Hash(normalisedText), ScriptDirectives.Parse(path, normalisedText));
}
