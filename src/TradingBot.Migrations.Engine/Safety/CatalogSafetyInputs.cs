using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>The catalog's SQL migrations as the safety rules see them, oldest first, for one dialect.</summary>
internal static class CatalogSafetyInputs
{
    public static IReadOnlyList<SafetyMigration> From(MigrationCatalog catalog, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var inputs = new List<SafetyMigration>(catalog.Migrations.Count);
        foreach (var migration in catalog.Migrations)
        {
            // A PowerShell migration's SQL is decided when it runs; there is nothing static to lint.
            if (migration.Kind == MigrationKind.PowerShell || migration.UpFor(dialect) is not { } up)
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
}
