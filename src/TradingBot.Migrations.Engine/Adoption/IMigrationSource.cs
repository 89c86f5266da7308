using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>
/// Another migration tool, as its documentation and source define it: how its files convert into this module's layout, and
/// how its history table looks and reads. One class per tool in this folder.
/// </summary>
internal interface IMigrationSource
{
    SourceTool Tool { get; }

    /// <summary>The tool's name as its users write it (dbmate, golang-migrate, Flyway, goose).</summary>
    string DisplayName { get; }

    /// <summary>The history table the tool creates by default (in the search path's first schema on PostgreSQL).</summary>
    string DefaultTable { get; }

    /// <summary>Reads and converts every migration of the tool's folder, or refuses with the file and line of what cannot be converted faithfully.</summary>
    IReadOnlyList<ImportedMigration> ReadFolder(string folder, SqlDialect dialect);

    /// <summary>Whether a table with these columns (lower case) is this tool's history table.</summary>
    bool Recognises(IReadOnlyCollection<string> columns);

    /// <summary>
    /// The query that reads the tool's history from <paramref name="quotedTable"/>; its rows go to <see cref="ReadHistory"/>.
    /// <paramref name="utc"/> turns a column holding the tool's local timestamp into SQL for it in UTC, in the database's words.
    /// </summary>
    string HistoryQuery(string quotedTable, Func<string, string> utc);

    /// <summary>
    /// The versions the rows of <see cref="HistoryQuery"/> say are applied or failed, one each (a tool that logs every up and
    /// down keeps several rows for a version; its own bookkeeping rows name no migration).
    /// </summary>
    IReadOnlyList<SourceHistoryRow> ReadHistory(IReadOnlyList<object?[]> rows, IReadOnlyList<ImportedMigration> migrations);
}
