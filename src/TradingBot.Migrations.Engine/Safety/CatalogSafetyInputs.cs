using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>The catalog's migrations as the safety rules see them, oldest first, for one dialect.</summary>
internal static class CatalogSafetyInputs
{
    /// <summary>
    /// The SQL migrations; with <paramref name="powerShell"/> the PowerShell ones too, as the constant SQL their blocks send
    /// (what a rollback runs must be read whatever kind of file it is in; a lint of the ups leaves them out).
    /// </summary>
    public static IReadOnlyList<SafetyMigration> From(MigrationCatalog catalog, SqlDialect dialect, bool powerShell = false, IPowerShellScriptInspector? inspector = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var inputs = new List<SafetyMigration>(catalog.Migrations.Count);
        foreach (var migration in catalog.Migrations)
        {
            if (migration.PowerShellScript is { } ps1)
            {
                if (powerShell)
                {
                    inputs.Add(FromPowerShell(migration, ps1, dialect, inspector));
                }

                continue;
            }

            if (migration.UpFor(dialect) is not { } up)
            {
                continue;
            }

            var down = migration.DownFor(dialect);
            inputs.Add(new SafetyMigration
            {
                Version = migration.Version.Text,
                Name = migration.Name,
                UpPath = up.Path,
                UpSql = up.Text,
                DownPath = down?.Path,
                DownSql = down?.Text,
                UpRunsInTransaction = up.Directives.RunsInTransaction,
                DownRunsInTransaction = down?.Directives.RunsInTransaction ?? true,
                Dialect = dialect,
            });
        }

        return inputs;
    }

    private static SafetyMigration FromPowerShell(Migration migration, ScriptFile ps1, SqlDialect dialect, IPowerShellScriptInspector? inspector)
    {
        var up = inspector?.ReadBlockSql(ps1, "Up");
        var down = migration.PowerShellHasDown ? inspector?.ReadBlockSql(ps1, "Down") : null;
        return new SafetyMigration
        {
            Version = migration.Version.Text,
            Name = migration.Name,
            UpPath = ps1.Path,
            UpSql = up?.ToScript() ?? string.Empty,
            DownPath = migration.PowerShellHasDown ? ps1.Path : null,
            DownSql = migration.PowerShellHasDown ? down?.ToScript() ?? string.Empty : null,
            UnreadableDownCalls = !migration.PowerShellHasDown ? [] : down is null ? [null] : down.UnreadableLines.Select(l => (int?)l).ToList(),
            UpRunsInTransaction = ps1.Directives.RunsInTransaction,
            DownRunsInTransaction = ps1.Directives.RunsInTransaction,
            Dialect = dialect,
        };
    }
}
