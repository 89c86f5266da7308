using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

internal enum SchemaObjectKind
{
    Table,
    Column,
    Index,
}

/// <summary>A table, a column (Table.Name) or an index a migration creates or drops, by the name the database compares.</summary>
internal sealed record SchemaObject(SchemaObjectKind Kind, string Table, string? Name = null)
{
    public string Key => Kind switch
    {
        SchemaObjectKind.Column => $"column:{Table}.{Name}".ToUpperInvariant(),
        SchemaObjectKind.Index => $"index:{Name}".ToUpperInvariant(),
        _ => $"table:{Table}".ToUpperInvariant(),
    };

    public override string ToString() => Kind switch
    {
        SchemaObjectKind.Column => $"column {Table}.{Name}",
        SchemaObjectKind.Index => $"index {Name}",
        _ => $"table {Table}",
    };
}

/// <summary>One change to the schema an up script makes, in order: what appears, or what goes.</summary>
/// <param name="RenamedFrom">For a table created by a rename: the table it was, whose columns it takes.</param>
internal sealed record SchemaChange(SchemaObject Object, bool Creates, bool IfNotExists, string? RenamedFrom = null);

/// <summary>
/// The tables, columns and indexes an up script creates and drops, read with the linter's statement analysis (Safety/Analysis):
/// the evidence a baseline compares with the live schema. What it cannot name (views, functions, an unnamed index) is left out.
/// </summary>
internal static class SchemaEffects
{
    public static IReadOnlyList<SchemaChange> Of(string sql, SqlDialect dialect)
    {
        var script = SqlScript.Parse(sql, dialect);
        var changes = new List<SchemaChange>();
        for (var i = 0; i < script.Statements.Count; i++)
        {
            var statement = StatementClassifier.Classify(new StatementView(script.Source, script.Statements[i], dialect), i);
            var table = statement.Target is null ? null : Name(statement.Target, dialect);
            switch (statement.Kind)
            {
                case StatementKind.CreateTable when table is not null && !statement.Temporary:
                    changes.Add(new SchemaChange(new SchemaObject(SchemaObjectKind.Table, table), true, statement.IfNotExists));
                    changes.AddRange(statement.Columns.Select(c => new SchemaChange(new SchemaObject(SchemaObjectKind.Column, table, Name(c.Name, dialect)), true, statement.IfNotExists)));
                    break;
                case StatementKind.CreateIndex when statement.IndexName is not null && table is not null:
                    changes.Add(new SchemaChange(new SchemaObject(SchemaObjectKind.Index, table, Name(statement.IndexName, dialect)), true, statement.IfNotExists));
                    break;
                case StatementKind.DropTable:
                    changes.AddRange(statement.Targets.Select(t => new SchemaChange(new SchemaObject(SchemaObjectKind.Table, Name(t, dialect)), false, false)));
                    break;
                case StatementKind.DropIndex:
                    changes.AddRange(statement.Targets.Select(t => new SchemaChange(new SchemaObject(SchemaObjectKind.Index, string.Empty, Name(t, dialect)), false, false)));
                    break;
                case StatementKind.AlterTable when table is not null:
                    foreach (var action in statement.Actions)
                    {
                        changes.AddRange(Altered(table, action, dialect));
                    }

                    break;
            }
        }

        return changes;
    }

    // The name as the database compares it (PostgreSQL folds unquoted names to lower case; SQLite ignores case, and its key is
    // upper case, shown in lower case here).
    private static string Name(ObjectName name, SqlDialect dialect) => dialect == SqlDialect.Sqlite ? name.Key.ToLowerInvariant() : name.Key;

    private static IEnumerable<SchemaChange> Altered(string table, AlterAction action, SqlDialect dialect)
    {
        var column = action.Definition?.Name ?? action.Column;
        switch (action.Kind)
        {
            case AlterActionKind.AddColumn when column is not null:
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Column, table, Name(column, dialect)), true, action.IfNotExists);
                break;
            case AlterActionKind.DropColumn when column is not null:
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Column, table, Name(column, dialect)), false, false);
                break;
            case AlterActionKind.RenameColumn when action.Column is not null && action.NewName is not null:
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Column, table, Name(action.Column, dialect)), false, false);
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Column, table, Name(action.NewName, dialect)), true, false);
                break;
            case AlterActionKind.RenameTable when action.NewName is not null:
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Table, table), false, false);
                yield return new SchemaChange(new SchemaObject(SchemaObjectKind.Table, Name(action.NewName, dialect)), true, false, table);
                break;
        }
    }
}
