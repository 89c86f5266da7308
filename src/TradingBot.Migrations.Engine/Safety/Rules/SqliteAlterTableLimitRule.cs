using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>
/// What SQLite's ALTER TABLE refuses (sqlite.org/lang_altertable.html, for the SQLite the module bundles, 3.53): it renames
/// tables and columns, adds a column only within the ADD COLUMN restrictions, drops a column, adds a CHECK constraint, drops a
/// constraint and sets or drops a column's NOT NULL (the last three since 3.53), one action per statement. Anything else is
/// done by rebuilding the table.
/// </summary>
internal sealed class SqliteAlterTableLimitRule : StatementRule
{
    public const string RebuildRecipe =
        "Rebuild the table as SQLite documents it: CREATE TABLE t_new with the definition you want; INSERT INTO t_new (columns) SELECT columns FROM t; " +
        "DROP TABLE t; ALTER TABLE t_new RENAME TO t; then recreate t's indexes, triggers and views and run PRAGMA foreign_key_check. " +
        "When other tables reference t, run it in a migration marked -- transaction: none that sets PRAGMA foreign_keys = OFF before its own BEGIN.";

    public override string Id => "sqlite-alter-table-limit";

    public override SafetySeverity Severity => SafetySeverity.Error;

    public override string Description => "SQLite's ALTER TABLE only renames a table or a column, adds a column (not a PRIMARY KEY, UNIQUE or STORED generated one, not with a CURRENT_* or parenthesised default, not NOT NULL without a non-NULL default, not REFERENCES with a non-NULL default while foreign keys are on), drops a column, adds a CHECK constraint, drops a constraint or sets or drops NOT NULL (3.53), one action per statement; SQLite refuses anything else (a type, a default, a UNIQUE, PRIMARY KEY or FOREIGN KEY constraint), and the migration fails there.";

    public override string Remedy => RebuildRecipe;

    public override RuleDialects Dialects => RuleDialects.Sqlite;

    public override RuleScripts Scripts => RuleScripts.Both;

    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind == StatementKind.AlterTable && Refusal(statement) is { } refusal)
        {
            sink.Report(this, statement, $"{refusal}: SQLite refuses it, so {statement.Target?.Display ?? "the table"} must be rebuilt");
        }
    }

    private static string? Refusal(StatementInfo s)
    {
        if (s.Actions.Count > 1)
        {
            return "one ALTER TABLE with several actions (SQLite takes one per statement)";
        }

        foreach (var a in s.Actions)
        {
            switch (a.Kind)
            {
                case AlterActionKind.RenameTable or AlterActionKind.RenameColumn or AlterActionKind.DropColumn or AlterActionKind.DropConstraint
                    or AlterActionKind.SetNotNull or AlterActionKind.DropNotNull:
                case AlterActionKind.AddConstraint when a.Constraint == ConstraintKind.Check:
                    break;
                case AlterActionKind.AddColumn when a.Definition is { } d:
                    if (AddColumnRefusal(d) is { } refusal)
                    {
                        return refusal;
                    }

                    break;
                case AlterActionKind.AlterColumnType:
                    return "changes a column's type";
                case AlterActionKind.SetDefault:
                    return "changes a column's default";
                case AlterActionKind.AddConstraint:
                    return $"adds a {a.Constraint switch { ConstraintKind.PrimaryKey => "PRIMARY KEY", ConstraintKind.Unique => "UNIQUE", ConstraintKind.ForeignKey => "FOREIGN KEY", _ => a.Constraint.ToString().ToUpperInvariant() }} constraint (only CHECK constraints can be added)";
                default:
                    return "an ALTER TABLE action SQLite does not have";
            }
        }

        return null;
    }

    private static string? AddColumnRefusal(ColumnDefinition d)
    {
        if (d.PrimaryKey || d.Unique)
        {
            return $"adds column {d.Name.Display} with a {(d.PrimaryKey ? "PRIMARY KEY" : "UNIQUE")} constraint";
        }

        if (d.GeneratedStored)
        {
            return $"adds STORED generated column {d.Name.Display} (VIRTUAL ones can be added)";
        }

        if (d.NonConstantDefault)
        {
            return $"adds column {d.Name.Display} with a CURRENT_TIME/DATE/TIMESTAMP or parenthesised expression default";
        }

        if (d.NotNull && !d.HasDefault)
        {
            return $"adds NOT NULL column {d.Name.Display} without a default other than NULL";
        }

        if (d.References && d.HasDefault)
        {
            return $"adds column {d.Name.Display} with REFERENCES and a default other than NULL (refused while PRAGMA foreign_keys is on)";
        }

        return null;
    }
}
