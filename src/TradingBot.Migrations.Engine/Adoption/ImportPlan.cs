using System.Globalization;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>What Import-MigrationHistory is asked: which tool, its folder, and its history table when not the tool's default.</summary>
public sealed record ImportRequest(SourceTool Tool, string SourceFolder, string? SourceTable = null);

/// <summary>What the import does to one converted file.</summary>
public enum FileImportAction
{
    /// <summary>Written into the migrations folder.</summary>
    Write,

    /// <summary>Already there with the same text (an earlier import): left alone.</summary>
    Unchanged,
}

/// <summary>What the import does to one version's history row.</summary>
public enum HistoryImportAction
{
    /// <summary>The other tool applied it (or left it failed): recorded in this module's history.</summary>
    Record,

    /// <summary>This module's history has it already (an earlier import, or a run since): left alone.</summary>
    AlreadyRecorded,

    /// <summary>The other tool never applied it: it stays Pending.</summary>
    NotApplied,
}

/// <summary>One migration of the import: its converted files, and what its history row becomes.</summary>
public sealed record ImportItem(ImportedMigration Migration, IReadOnlyList<(ConvertedFile File, FileImportAction Action)> Files,
    SourceHistoryRow? SourceRow, HistoryImportAction History)
{
    /// <summary>When the other tool applied it, where the tool records that; else null (recorded as the time of the import).</summary>
    public DateTime? AppliedAtUtc => SourceRow?.AppliedAtUtc;

    public bool Failed => SourceRow?.Failed == true;
}

/// <summary>
/// The whole import, decided before anything changes (-WhatIf shows it all): the files to write, the other tool's table to
/// move aside (when its name is this module's history table's), and the history rows to record.
/// </summary>
public sealed record ImportPlan(string ToolName, string Folder, HistoryTableName SourceTable, string? MoveAsideTo, HistoryTableName HistoryTable,
    IReadOnlyList<ImportItem> Items)
{
    /// <summary>Where the other tool's table is once the import is done.</summary>
    public string SourceTableAfter => MoveAsideTo is null ? SourceTable.ToString() : new HistoryTableName(MoveAsideTo, SourceTable.Schema).ToString();

    /// <summary>Every change, one line each, in the order it is made.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var item in Items)
        {
            foreach (var (file, action) in item.Files.Where(f => f.Action == FileImportAction.Write))
            {
                yield return $"Write {Path.Combine(Folder, file.FileName)}, converted from {item.Migration.SourceFile}";
            }
        }

        if (MoveAsideTo is not null)
        {
            yield return $"Move {ToolName}'s history table {SourceTable} aside to {SourceTableAfter} (kept with its rows, not dropped): " +
                $"this module's history table has the same name";
        }

        foreach (var item in Items.Where(i => i.History == HistoryImportAction.Record))
        {
            var when = item.AppliedAtUtc is { } at ? "applied at " + at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)
                : $"applied at an unrecorded time ({ToolName} keeps none; recorded as now)";
            yield return $"Record migration {item.Migration.Version} ({item.Migration.Name}) in {HistoryTable} as " +
                (item.Failed ? $"Failed ({item.SourceRow!.Note})" : $"Applied, {when}") + $", checksum {item.Migration.Checksum[..12]}; no script is run";
        }
    }

    /// <summary>Whether the import would change anything (a second import of the same history changes nothing).</summary>
    public bool ChangesAnything => MoveAsideTo is not null || Items.Any(i => i.History == HistoryImportAction.Record || i.Files.Any(f => f.Action == FileImportAction.Write));
}
