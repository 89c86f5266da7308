using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>The tools whose history Import-MigrationHistory reads.</summary>
public enum SourceTool
{
    Dbmate,
    GolangMigrate,
    Flyway,
    Goose,
}

/// <summary>One file of this module's layout that a conversion writes: its name in the migrations folder and its text (LF line endings).</summary>
public sealed record ConvertedFile(string FileName, string Text);

/// <summary>
/// One migration of another tool, converted into this module's layout: the up (and down, where the tool had one) as this
/// module's files, and the checksum this module will record for its up script.
/// </summary>
public sealed record ImportedMigration(MigrationVersion Version, string Name, string SourceFile, ConvertedFile Up, ConvertedFile? Down)
{
    public string Checksum => ScriptFile.Hash(Up.Text);

    public IEnumerable<ConvertedFile> Files => Down is null ? [Up] : [Up, Down];
}

/// <summary>One row of the other tool's history: a version it applied (or left failed), and when, where the tool records it.</summary>
public sealed record SourceHistoryRow(string Version, DateTime? AppliedAtUtc, bool Failed, string? Note = null);
