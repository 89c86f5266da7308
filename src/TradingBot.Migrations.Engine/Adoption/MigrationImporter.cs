using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.History;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// Takes over from another tool: converts its files into this module's layout, and records what its history says was applied
/// in this module's history (with the audit row of each), keeping the other tool's table, moved aside when the names collide.
/// </summary>
internal static class MigrationImporter
{
    private const string TemporarySuffix = ".importing";

    public static IMigrationSource SourceFor(SourceTool tool) => tool switch
    {
        SourceTool.Dbmate => new DbmateSource(),
        SourceTool.GolangMigrate => new GolangMigrateSource(),
        SourceTool.Flyway => new FlywaySource(),
        SourceTool.Goose => new GooseSource(),
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "not a tool the import knows"),
    };

    /// <summary>Decides everything from the other tool's folder and table, this module's folder and history; changes nothing.</summary>
    public static ImportPlan Plan(IDatabaseSession session, ImportRequest request, string folder, CancellationToken cancellation)
    {
        var source = SourceFor(request.Tool);
        var migrations = source.ReadFolder(request.SourceFolder, session.Dialect);
        var files = migrations.ToDictionary(m => m, m => FileActions(m, folder));
        RefuseTakenVersions(migrations, folder);

        var (sourceTable, moveAsideTo, ourHistory) = LocateTables(session, source, request.SourceTable, cancellation);
        var quoted = sourceTable.Quoted;
        var applied = new Dictionary<MigrationVersion, SourceHistoryRow>();
        var rows = session.History.ReadRows(source.HistoryQuery(quoted, session.History.UtcTimestampSql), cancellation);
        foreach (var row in source.ReadHistory(rows, migrations))
        {
            if (!MigrationVersion.TryParse(row.Version, out var version, out _) || migrations.All(m => m.Version != version))
            {
                throw new MigrationException(MigrationErrors.SourceVersionWithoutFile,
                    $"{source.DisplayName}'s history table {sourceTable} records version {row.Version}, and {request.SourceFolder} has no migration of that version: " +
                    "its checksum cannot be computed without its file. Nothing was imported.")
                {
                    Version = row.Version,
                    FilePath = request.SourceFolder,
                };
            }

            applied[version] = row;
        }

        var recorded = ourHistory.Select(r => MigrationVersion.TryParse(r.Version, out var v, out _) ? v : null).OfType<MigrationVersion>().ToHashSet();
        var items = migrations.Select(m => new ImportItem(m, files[m], applied.GetValueOrDefault(m.Version),
            recorded.Contains(m.Version) ? HistoryImportAction.AlreadyRecorded
            : applied.ContainsKey(m.Version) ? HistoryImportAction.Record : HistoryImportAction.NotApplied)).ToList();
        return new ImportPlan(source.DisplayName, folder, sourceTable, moveAsideTo, session.History.Table, items);
    }

    /// <summary>
    /// Makes the plan's changes: the files are written beside their final names first, then the history changes commit in one
    /// transaction, then the files take their names; a failure before the commit leaves the folder and the database as they were.
    /// </summary>
    public static void Execute(IDatabaseSession session, ImportPlan plan, string importedBy, DateTime nowUtc, CancellationToken cancellation)
    {
        var pending = plan.Items.SelectMany(i => i.Files).Where(f => f.Action == FileImportAction.Write)
            .Select(f => (Final: Path.Combine(plan.Folder, f.File.FileName), f.File.Text)).ToList();
        try
        {
            Directory.CreateDirectory(plan.Folder);
            foreach (var (final, text) in pending)
            {
                File.WriteAllText(final + TemporarySuffix, text);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteTemporary(pending);
            throw new MigrationException(MigrationErrors.MigrationFileNotWritten, $"Cannot write the converted migrations into {plan.Folder}: {e.Message}. Nothing was imported.", e)
            {
                FilePath = plan.Folder,
            };
        }

        try
        {
            session.WriteHistory(transaction =>
            {
                if (plan.MoveAsideTo is not null)
                {
                    session.History.MoveAside(plan.SourceTable, plan.MoveAsideTo, transaction, cancellation);
                }

                session.History.EnsureWithAuditLog(transaction, cancellation);
                foreach (var item in plan.Items.Where(i => i.History == HistoryImportAction.Record))
                {
                    var record = new HistoryRecord(item.Migration.Version.Text, item.Migration.Name, item.Migration.Checksum, item.AppliedAtUtc ?? nowUtc,
                        $"{plan.ToolName} (imported by {importedBy})", 0, item.Failed ? HistoryState.Failed : HistoryState.Applied, item.Failed ? item.SourceRow!.Note : null);
                    session.History.Adopt(record, $"Import from {plan.ToolName}", importedBy, transaction, cancellation);
                }
            }, cancellation);
        }
        catch
        {
            DeleteTemporary(pending);
            throw;
        }

        foreach (var (final, _) in pending)
        {
            File.Move(final + TemporarySuffix, final, overwrite: true);
        }
    }

    private static List<(ConvertedFile File, FileImportAction Action)> FileActions(ImportedMigration migration, string folder)
    {
        var actions = new List<(ConvertedFile, FileImportAction)>();
        foreach (var file in migration.Files)
        {
            var path = Path.Combine(folder, file.FileName);
            if (!File.Exists(path))
            {
                actions.Add((file, FileImportAction.Write));
            }
            else if (ScriptFile.ReadText(path) == file.Text)
            {
                actions.Add((file, FileImportAction.Unchanged));
            }
            else
            {
                throw new MigrationException(MigrationErrors.ImportFileConflict,
                    $"{path} exists with other text than {migration.SourceFile} converts to; the import never overwrites a file. Nothing was imported.")
                {
                    FilePath = path,
                    Version = migration.Version.Text,
                };
            }
        }

        return actions;
    }

    // Another file of the same version in the folder (an up of another name, a .ps1) would make the folder invalid.
    private static void RefuseTakenVersions(IReadOnlyList<ImportedMigration> migrations, string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var converted = migrations.ToDictionary(m => m.Version, m => m.Files.Select(f => f.FileName).ToHashSet(StringComparer.Ordinal));
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (MigrationFileName.TryParse(name, out var text, out _, out _) && MigrationVersion.TryParse(text, out var version, out _) &&
                converted.TryGetValue(version, out var names) && !names.Contains(name))
            {
                throw new MigrationException(MigrationErrors.ImportFileConflict,
                    $"{path} already holds version {version}, which the import would give to {migrations.First(m => m.Version == version).SourceFile}. Nothing was imported.")
                {
                    FilePath = path,
                    Version = version.Text,
                };
            }
        }
    }

    // Where the other tool's table is, whether it must move aside for this module's history table, and this module's history so far.
    private static (HistoryTableName Source, string? MoveAsideTo, IReadOnlyList<HistoryRecord> Ours) LocateTables(
        IDatabaseSession session, IMigrationSource source, string? sourceTableName, CancellationToken cancellation)
    {
        var history = session.History;
        var ours = history.Table;
        var named = new HistoryTableName(sourceTableName ?? source.DefaultTable);
        var aside = new HistoryTableName(AsideName(source, named.Table), named.Schema);
        var ourColumns = history.ColumnsOf(ours);
        var oursExists = ourColumns is not null && IsOurs(ourColumns);
        if (ourColumns is not null && !oursExists && !(SameName(ours, named) && source.Recognises(ourColumns)))
        {
            throw new MigrationException(MigrationErrors.HistoryTableTaken,
                $"The table {ours} exists and is neither this module's history table nor {source.DisplayName}'s. Nothing was imported.")
            {
                RecommendedAction = $"Name another table for this module's history with -HistoryTable (or HistoryTable in migrations.psd1).",
            };
        }

        var ourHistory = oursExists ? history.Read(cancellation) : [];
        if (SameName(ours, named) && ourColumns is not null && !oursExists)
        {
            if (history.ColumnsOf(aside) is not null)
            {
                throw new MigrationException(MigrationErrors.HistoryTableTaken,
                    $"{source.DisplayName}'s table {named} has this module's history table's name, and the name to move it aside to, {aside}, is taken. Nothing was imported.")
                {
                    RecommendedAction = "Name another table for this module's history with -HistoryTable, or rename one of the two tables.",
                };
            }

            return (named, aside.Table, ourHistory);
        }

        // Not moved now: the tool's table under its own name (or -SourceTable's), else where an earlier import moved it.
        foreach (var candidate in SameName(ours, named) ? [aside] : new[] { named, aside })
        {
            if (history.ColumnsOf(candidate) is { } columns && source.Recognises(columns))
            {
                return (candidate, null, ourHistory);
            }
        }

        throw new MigrationException(MigrationErrors.SourceHistoryNotFound,
            $"There is no {source.DisplayName} history table {named}{(SameName(ours, named) ? string.Empty : $" (nor {aside})")} in {session.Target.DisplayName}. Nothing was imported.")
        {
            RecommendedAction = $"Point -Database at the database {source.DisplayName} migrated, or name its table with -SourceTable.",
        };
    }

    /// <summary>The name the other tool's table takes when it makes way: the tool's name in front (dbmate_schema_migrations).</summary>
    public static string AsideName(IMigrationSource source, string table) =>
        (source.Tool switch { SourceTool.GolangMigrate => "golang_migrate", _ => source.DisplayName.ToLowerInvariant() }) + "_" + table;

    private static bool IsOurs(IReadOnlyList<string> columns) => columns.Contains("checksum") && columns.Contains("state") && columns.Contains("applied_by");

    private static bool SameName(HistoryTableName ours, HistoryTableName theirs) =>
        string.Equals(ours.Table, theirs.Table, StringComparison.Ordinal) && ours.Schema == theirs.Schema;

    private static void DeleteTemporary(IEnumerable<(string Final, string Text)> files)
    {
        foreach (var (final, _) in files)
        {
            File.Delete(final + TemporarySuffix);
        }
    }
}
