namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>
/// The little the rules need to know about what earlier migrations built: column types, CHECK (c IS NOT
/// NULL) constraints and whether they were validated. Filled by reading each up script in order.
/// </summary>
internal sealed class SchemaModel
{
    private readonly Dictionary<string, Dictionary<string, string>> _tables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _validatedNotNull = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pendingNotNull = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _displayNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _complete = new(StringComparer.Ordinal);

    /// <summary>Every column of a table whose CREATE TABLE was seen (key → name as written), or null.</summary>
    public IReadOnlyDictionary<string, string>? KnownColumns(ObjectName table) =>
        _complete.Contains(table.Key) && _displayNames.TryGetValue(table.Key, out var names) ? names : null;

    public string? ColumnType(ObjectName table, ObjectName column) =>
        _tables.TryGetValue(table.Key, out var columns) ? columns.GetValueOrDefault(column.Key) : null;

    public bool HasValidatedNotNullCheck(ObjectName table, ObjectName column) =>
        _validatedNotNull.Contains(ScriptContext.ColumnKey(table, column));

    public string? PendingNotNullCheck(ObjectName constraint) => _pendingNotNull.GetValueOrDefault(constraint.Key);

    /// <summary>Applies an up script's effects.</summary>
    public void Apply(ScriptContext up)
    {
        foreach (var s in up.Statements)
        {
            switch (s.Kind)
            {
                case StatementKind.CreateTable when s.Target is { } created:
                    var columns = new Dictionary<string, string>(StringComparer.Ordinal);
                    var names = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var c in s.Columns)
                    {
                        columns[c.Name.Key] = c.Type;
                        names[c.Name.Key] = c.Name.Display;
                    }

                    _tables[created.Key] = columns;
                    _displayNames[created.Key] = names;
                    if (s.Columns.Count > 0)
                    {
                        _complete.Add(created.Key);
                    }
                    else
                    {
                        _complete.Remove(created.Key);
                    }

                    break;
                case StatementKind.DropTable:
                    foreach (var t in s.Targets)
                    {
                        _tables.Remove(t.Key);
                        _displayNames.Remove(t.Key);
                        _complete.Remove(t.Key);
                    }

                    break;
                case StatementKind.AlterTable when s.Target is { } table:
                    ApplyAlter(s, table);
                    break;
            }
        }
    }

    private void ApplyAlter(StatementInfo s, ObjectName table)
    {
        if (!_tables.TryGetValue(table.Key, out var columns))
        {
            columns = new Dictionary<string, string>(StringComparer.Ordinal);
            _tables[table.Key] = columns;
        }

        if (!_displayNames.TryGetValue(table.Key, out var names))
        {
            names = new Dictionary<string, string>(StringComparer.Ordinal);
            _displayNames[table.Key] = names;
        }

        foreach (var a in s.Actions)
        {
            switch (a.Kind)
            {
                case AlterActionKind.AddColumn when a.Definition is { } d:
                    columns[d.Name.Key] = d.Type;
                    names[d.Name.Key] = d.Name.Display;
                    break;
                case AlterActionKind.DropColumn when a.Column is { } c:
                    columns.Remove(c.Key);
                    names.Remove(c.Key);
                    break;
                case AlterActionKind.AlterColumnType when a.Column is { } c && a.NewType is { } type:
                    columns[c.Key] = type;
                    break;
                case AlterActionKind.RenameColumn when a.Column is { } c && a.NewName is { } n && columns.Remove(c.Key, out var t):
                    columns[n.Key] = t;
                    names.Remove(c.Key);
                    names[n.Key] = n.Display;
                    break;
                case AlterActionKind.RenameTable when a.NewName is { } n:
                    _tables.Remove(table.Key);
                    _tables[n.Key] = columns;
                    _displayNames.Remove(table.Key);
                    _displayNames[n.Key] = names;
                    if (_complete.Remove(table.Key))
                    {
                        _complete.Add(n.Key);
                    }

                    break;
                case AlterActionKind.AddConstraint when a.NotNullCheckColumn is { } c:
                    var key = ScriptContext.ColumnKey(table, c);
                    if (!a.NotValid)
                    {
                        _validatedNotNull.Add(key);
                    }
                    else if (a.ConstraintName is { } name)
                    {
                        _pendingNotNull[name.Key] = key;
                    }

                    break;
                case AlterActionKind.ValidateConstraint when a.ConstraintName is { } name && _pendingNotNull.Remove(name.Key, out var pending):
                    _validatedNotNull.Add(pending);
                    break;
            }
        }
    }
}
