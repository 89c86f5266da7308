using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>What an up script's statements can name for a baseline's statement evidence.</summary>
internal enum ScriptObjectKind
{
    Table,
    Column,
    Index,
}

/// <summary>
/// A table, a column (Table.Name) or an index an up script's statements create or drop, by the name the database compares: read
/// from the SQL, not from a database (the schema export's model of a live object is Schema.SchemaObject).
/// </summary>
internal sealed record ScriptObject(ScriptObjectKind Kind, string Table, string? Name = null)
{
    public string Key => Kind switch
    {
        ScriptObjectKind.Column => $"column:{Table}.{Name}".ToUpperInvariant(),
        ScriptObjectKind.Index => $"index:{Name}".ToUpperInvariant(),
        _ => $"table:{Table}".ToUpperInvariant(),
    };

    public override string ToString() => Kind switch
    {
        ScriptObjectKind.Column => $"column {Table}.{Name}",
        ScriptObjectKind.Index => $"index {Name}",
        _ => $"table {Table}",
    };
}

/// <summary>One change to the schema an up script's statements make, in order: what appears, or what goes.</summary>
/// <param name="RenamedFrom">For a table created by a rename: the table it was, whose columns it takes.</param>
internal sealed record ScriptEffect(ScriptObject Object, bool Creates, bool IfNotExists, string? RenamedFrom = null);

/// <summary>
/// The tables, columns and indexes an up script creates and drops, read with the linter's statement analysis (Safety/Analysis):
/// the evidence a baseline compares with the live schema. What it cannot name (views, functions, an unnamed index) is left out.
/// </summary>
internal static class ScriptEffects
{
    public static IReadOnlyList<ScriptEffect> Of(string sql, SqlDialect dialect)
    {
        var script = SqlScript.Parse(sql, dialect);
        var changes = new List<ScriptEffect>();
        for (var i = 0; i < script.Statements.Count; i++)
        {
            var statement = StatementClassifier.Classify(new StatementView(script.Source, script.Statements[i], dialect), i);
            var table = statement.Target is null ? null : Name(statement.Target, dialect);
            switch (statement.Kind)
            {
                case StatementKind.CreateTable when table is not null && !statement.Temporary:
                    changes.Add(new ScriptEffect(new ScriptObject(ScriptObjectKind.Table, table), true, statement.IfNotExists));
                    changes.AddRange(statement.Columns.Select(c => new ScriptEffect(new ScriptObject(ScriptObjectKind.Column, table, Name(c.Name, dialect)), true, statement.IfNotExists)));
                    break;
                case StatementKind.CreateIndex when statement.IndexName is not null && table is not null:
                    changes.Add(new ScriptEffect(new ScriptObject(ScriptObjectKind.Index, table, Name(statement.IndexName, dialect)), true, statement.IfNotExists));
                    break;
                case StatementKind.DropTable:
                    changes.AddRange(statement.Targets.Select(t => new ScriptEffect(new ScriptObject(ScriptObjectKind.Table, Name(t, dialect)), false, false)));
                    break;
                case StatementKind.DropIndex:
                    changes.AddRange(statement.Targets.Select(t => new ScriptEffect(new ScriptObject(ScriptObjectKind.Index, string.Empty, Name(t, dialect)), false, false)));
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

    private static IEnumerable<ScriptEffect> Altered(string table, AlterAction action, SqlDialect dialect)
    {
        var column = action.Definition?.Name ?? action.Column;
        switch (action.Kind)
        {
            case AlterActionKind.AddColumn when column is not null:
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Column, table, Name(column, dialect)), true, action.IfNotExists);
                break;
            case AlterActionKind.DropColumn when column is not null:
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Column, table, Name(column, dialect)), false, false);
                break;
            case AlterActionKind.RenameColumn when action.Column is not null && action.NewName is not null:
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Column, table, Name(action.Column, dialect)), false, false);
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Column, table, Name(action.NewName, dialect)), true, false);
                break;
            case AlterActionKind.RenameTable when action.NewName is not null:
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Table, table), false, false);
                yield return new ScriptEffect(new ScriptObject(ScriptObjectKind.Table, Name(action.NewName, dialect)), true, false, table);
                break;
        }
    }
}
