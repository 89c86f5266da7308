using System.Globalization;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Status;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>
/// Checks that need the database: schema integrity (keys, indexes, orphaned rows, invalid indexes),
/// history health, and how much each pending statement will hurt given the size of its table.
/// </summary>
internal static class LiveChecks
{
    private const long LargeRows = 1_000_000;
    private const long LargeBytes = 1L << 30;
    private const long MediumRows = 10_000;
    private const long MediumBytes = 100L << 20;

    public static IReadOnlyList<SafetyFinding> Run(ISchemaInspector schema, IReadOnlyList<MigrationStatusEntry> status, IReadOnlyList<StatementImpact> impacts, string historyTable, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(impacts);
        var findings = new List<SafetyFinding>();
        findings.AddRange(History(status));
        findings.AddRange(Impact(schema, impacts, cancellation));
        foreach (var table in schema.TablesWithoutPrimaryKey(cancellation).Where(t => !t.EndsWith(historyTable, StringComparison.Ordinal)))
        {
            findings.Add(Database("table-without-primary-key", SafetySeverity.Warning, $"Table {table} has no primary key: rows cannot be addressed reliably, and logical replication cannot update or delete them.",
                "Add a primary key (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX)."));
        }

        foreach (var key in schema.ForeignKeys(cancellation))
        {
            if (!key.Indexed)
            {
                findings.Add(Database("foreign-key-without-index", SafetySeverity.Warning,
                    $"Foreign key {key.Constraint} on {key.Table} ({string.Join(", ", key.Columns)}) has no index: every delete or key update on {key.ReferencedTable} scans {key.Table}.",
                    $"CREATE INDEX CONCURRENTLY ON {key.Table} ({string.Join(", ", key.Columns)}) in a migration marked -- transaction: none."));
            }

            if (key.OrphanedRows > 0)
            {
                findings.Add(Database("orphaned-rows", SafetySeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"{key.OrphanedRows} row(s) of {key.Table} violate foreign key {key.Constraint} (no matching row in {key.ReferencedTable}){(key.Validated ? string.Empty : "; the key is NOT VALID, so VALIDATE CONSTRAINT will fail")}."),
                    $"Delete or repair the orphaned rows of {key.Table} in a data migration before validating or relying on the key."));
            }
        }

        foreach (var index in schema.InvalidIndexes(cancellation))
        {
            findings.Add(Database("invalid-index", SafetySeverity.Error,
                $"Index {index} is invalid (left by a failed CREATE INDEX CONCURRENTLY): it costs every write and serves no read, and a retry with IF NOT EXISTS silently keeps it.",
                $"DROP INDEX CONCURRENTLY {index}; then create it again (-- transaction: none)."));
        }

        return findings;
    }

    private static IEnumerable<SafetyFinding> History(IReadOnlyList<MigrationStatusEntry> status)
    {
        foreach (var entry in status)
        {
            var finding = entry.State switch
            {
                MigrationState.Failed => ("history-failed", SafetySeverity.Error, $"Migration {entry.Version} stopped part-way and is recorded as Failed.", $"Finish or undo it by hand, then Repair-Migration -Version {entry.Version}."),
                MigrationState.Modified => ("history-modified", SafetySeverity.Error, $"Migration {entry.Version} was changed after it was applied: the database does not match the file.", "Restore the original file, or Repair-Migration -Action UpdateChecksum after a cosmetic edit."),
                MigrationState.Missing => ("history-missing", SafetySeverity.Warning, $"Migration {entry.Version} is applied but its files are gone: it cannot be rolled back.", "Restore the files from version control."),
                MigrationState.Pending when entry.IsOutOfOrder => ("history-out-of-order", SafetySeverity.Warning, $"Migration {entry.Version} is pending but older than the newest applied migration.", "Give it a version after the newest applied one, or apply it with -AllowOutOfOrder if that is safe."),
                _ => default((string, SafetySeverity, string, string)?),
            };
            if (finding is var (rule, severity, message, remedy))
            {
                yield return new SafetyFinding
                {
                    Rule = rule, Severity = severity, Version = entry.Version.Text, MigrationName = entry.Name, Script = MigrationScript.Up,
                    File = entry.Migration?.Up?.Path, Message = message, Remedy = remedy,
                };
            }
        }
    }

    private static IEnumerable<SafetyFinding> Impact(ISchemaInspector schema, IReadOnlyList<StatementImpact> impacts, CancellationToken cancellation)
    {
        var sizes = new Dictionary<string, TableSize?>(StringComparer.OrdinalIgnoreCase);
        foreach (var impact in impacts)
        {
            if (!sizes.TryGetValue(impact.Table, out var size))
            {
                size = sizes[impact.Table] = schema.SizeOf(impact.Table, cancellation);
            }

            if (size is null)
            {
                continue;
            }

            var large = size.Rows >= LargeRows || size.Bytes >= LargeBytes;
            var medium = size.Rows >= MediumRows || size.Bytes >= MediumBytes;
            var verb = impact.ScansOrRewrites ? "scans or rewrites" : impact.LockMode == "ROW EXCLUSIVE" ? "writes rows of" : "locks";
            yield return new SafetyFinding
            {
                Rule = "lock-impact",
                Severity = large ? SafetySeverity.Error : medium ? SafetySeverity.Warning : SafetySeverity.Info,
                Version = impact.Version,
                MigrationName = impact.Name,
                Script = MigrationScript.Up,
                File = impact.File,
                Line = impact.Line,
                Statement = impact.Statement,
                Message = $"{verb} {size.Table} ({Describe(size)}) under {impact.LockMode}.",
                Remedy = large || medium
                    ? "Run it in a quiet window with a lock_timeout, or restructure it (CONCURRENTLY, NOT VALID then VALIDATE, batches) so it does not hold the lock while working."
                    : "Small table: fine as it is.",
            };
        }
    }

    private static string Describe(TableSize size)
    {
        var rows = size.Rows switch
        {
            null => "unknown rows",
            >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{size.Rows / 1e6:0.#} M rows"),
            >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{size.Rows / 1e3:0.#} k rows"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{size.Rows} rows"),
        };
        return size.Bytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $"{rows}, {bytes / 1048576.0:0.#} MB") : rows;
    }

    private static SafetyFinding Database(string rule, SafetySeverity severity, string message, string remedy) => new()
    {
        Rule = rule, Severity = severity, Version = string.Empty, Script = MigrationScript.Up, Message = message, Remedy = remedy,
    };
}
