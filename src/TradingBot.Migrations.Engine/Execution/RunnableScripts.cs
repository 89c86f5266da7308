using TradingBot.Migrations.Engine.Catalog;
using TradingBot.Migrations.Engine.Planning;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>Refuses a plan whose scripts cannot run, before anything runs: reads each SQL step's statements.</summary>
internal static class RunnableScripts
{
    /// <summary>
    /// The plan, after refusing an empty script (a freshly scaffolded migration is all comments: status lists it, but it
    /// cannot run until it says something) and a script that ends the transaction the migrator runs it in (it would no
    /// longer be applied, or undone, together with its history row).
    /// </summary>
    public static MigrationPlan Checked(MigrationPlan plan, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var step in plan.Steps.Where(s => s.Migration.Kind == MigrationKind.Sql))
        {
            var statements = step.Script.StatementsFor(dialect);
            if (statements.Count == 0)
            {
                throw new MigrationException(MigrationErrors.EmptyMigrationScript,
                    $"{step.Script.FileName} has no SQL statement. Write the change, or delete the file (a down that must do nothing can say SELECT 1;). Nothing was run.")
                {
                    Version = step.Migration.Version.Text,
                    FilePath = step.Script.Path,
                };
            }

            if (step.RunsInTransaction && TransactionStatements.FirstThatEndsTheTransaction(statements) is { } control)
            {
                throw new MigrationException(MigrationErrors.TransactionControlInMigration,
                    $"{step.Script.FileName} line {control.Line}: {control.Verb} would end the transaction this migration runs in, so its changes and its history row " +
                    "would no longer be committed or rolled back together. Nothing was run.")
                {
                    Version = step.Migration.Version.Text,
                    FilePath = step.Script.Path,
                    Line = control.Line,
                    Statement = control.Text,
                    RecommendedAction = $"Remove BEGIN/COMMIT/ROLLBACK from {step.Script.FileName} and let the migrator run it in its transaction, " +
                        "or put '-- transaction: none' on its first line and manage transactions yourself.",
                };
            }
        }

        return plan;
    }
}
