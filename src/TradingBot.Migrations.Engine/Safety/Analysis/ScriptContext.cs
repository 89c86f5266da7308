using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

/// <summary>What holds just before a statement runs.</summary>
internal readonly record struct StatementState(bool LockTimeout, bool StatementTimeout, int ExplicitTransactionDepth, bool InTransaction);

/// <summary>
/// One script lexed, split and classified once, with what the script itself creates and sets as it
/// goes: the facts every rule reads.
/// </summary>
internal sealed class ScriptContext
{
    private readonly Dictionary<string, int> _createdTables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _createdIndexes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _createdSchemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _addedColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _copiedOut = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatementInfo> _copiedInto = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _insertedInto = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _notValid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _validatedNotNull = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pendingNotNull = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _typeChanges = new(StringComparer.Ordinal);
    private readonly SafetyOptions _options;

    private ScriptContext(SafetyMigration migration, MigrationScript script, SqlScript parsed, bool runsInTransaction, SchemaModel schema, ScriptContext? up, SafetyOptions options)
    {
        _options = options;
        Migration = migration;
        Script = script;
        Parsed = parsed;
        RunsInTransaction = runsInTransaction;
        Schema = schema;
        Up = up;
        var statements = new List<StatementInfo>(parsed.Statements.Count);
        for (var i = 0; i < parsed.Statements.Count; i++)
        {
            statements.Add(StatementClassifier.Classify(new StatementView(parsed.Source, parsed.Statements[i], parsed.Dialect), i));
        }

        Statements = statements;
        Before = new StatementState[statements.Count];
        Walk();
    }

    public SafetyMigration Migration { get; }

    public MigrationScript Script { get; }

    public SqlScript Parsed { get; }

    public SqlDialect Dialect => Parsed.Dialect;

    public bool RunsInTransaction { get; }

    /// <summary>The schema as earlier migrations left it.</summary>
    public SchemaModel Schema { get; }

    /// <summary>For a down script: the up it undoes.</summary>
    public ScriptContext? Up { get; }

    public IReadOnlyList<StatementInfo> Statements { get; }

    public StatementState[] Before { get; }

    /// <summary>True when there are explicit BEGINs left open at the end of the script.</summary>
    public int OpenTransactionsAtEnd { get; private set; }

    /// <summary>For an up script: whether the migration has a down with at least one statement.</summary>
    public bool HasEffectiveDown { get; set; }

    public string? File => Script == MigrationScript.Up ? Migration.UpPath : Migration.DownPath;

    public static ScriptContext Build(SafetyMigration migration, MigrationScript script, SchemaModel schema, ScriptContext? up = null, SafetyOptions? options = null)
    {
        var sql = script == MigrationScript.Up ? migration.UpSql : migration.DownSql ?? string.Empty;
        var inTransaction = script == MigrationScript.Up ? migration.UpRunsInTransaction : migration.DownRunsInTransaction;
        return new ScriptContext(migration, script, SqlScript.Parse(sql, migration.Dialect), inTransaction, schema, up, options ?? SafetyOptions.Default);
    }

    /// <summary>True when the table was created (or copied into from scratch) by an earlier statement of this script.</summary>
    public bool IsNewTable(ObjectName? table, int before) =>
        table is not null && _createdTables.TryGetValue(table.Key, out var at) && at < before;

    public bool CreatedTableAnywhere(ObjectName table) => _createdTables.ContainsKey(table.Key);

    public bool IsNewIndex(ObjectName index, int before) => _createdIndexes.TryGetValue(index.Key, out var at) && at < before;

    public bool IsNewSchema(ObjectName schema, int before) => _createdSchemas.TryGetValue(schema.Key, out var at) && at < before;

    public bool IsNewColumn(ObjectName table, ObjectName column, int before) =>
        IsNewTable(table, before) || (_addedColumns.TryGetValue(ColumnKey(table, column), out var at) && at < before);

    public bool AddedColumnAnywhere(ObjectName table, ObjectName column) =>
        _createdTables.ContainsKey(table.Key) || _addedColumns.ContainsKey(ColumnKey(table, column));

    /// <summary>True when an earlier statement copied the table's rows into a table this script created (SQLite table rebuild).</summary>
    public bool IsCopiedOut(ObjectName table, int before) => _copiedOut.TryGetValue(table.Key, out var at) && at < before;

    /// <summary>
    /// For a table rebuilt by copying its rows into a table this script created: the columns the old
    /// table had (as earlier migrations built it) that the new table does not.
    /// </summary>
    public List<string> ColumnsLeftOutByRebuild(ObjectName table, int before)
    {
        var lost = new List<string>();
        if (!IsCopiedOut(table, before) || !_copiedInto.TryGetValue(table.Key, out var copy) || Schema.KnownColumns(table) is not { } old)
        {
            return lost;
        }

        var target = copy.Kind == StatementKind.Insert ? copy.Target : null;
        var created = target is null ? null : Statements.FirstOrDefault(s => s.Kind == StatementKind.CreateTable && s.Target?.Key == target.Key && s.Index < before);
        if (created is null || created.Columns.Count == 0)
        {
            return lost;
        }

        foreach (var (key, display) in old)
        {
            if (!created.Columns.Any(c => c.Name.Key == key))
            {
                lost.Add(display);
            }
        }

        return lost;
    }

    public bool InsertedIntoAnywhere(ObjectName table) => _insertedInto.ContainsKey(table.Key);

    /// <summary>True when a later statement creates a table of this name again (rename-and-rebuild).</summary>
    public bool IsRecreatedAfter(ObjectName table, int after) =>
        Statements.Skip(after + 1).Any(s => (s.Kind == StatementKind.CreateTable || (s.Kind == StatementKind.CreateOther && s.Subject == "VIEW")) && s.Target?.Key == table.Key);

    public bool IsNotValidConstraint(ObjectName name, int before) => _notValid.TryGetValue(name.Key, out var at) && at < before;

    public bool HasValidatedNotNullCheck(ObjectName table, ObjectName column, int before) =>
        Schema.HasValidatedNotNullCheck(table, column) ||
        (_validatedNotNull.TryGetValue(ColumnKey(table, column), out var at) && at < before);

    /// <summary>The type the up script changed this column to, if it did.</summary>
    public string? TypeSetByScript(ObjectName table, ObjectName column) => _typeChanges.GetValueOrDefault(ColumnKey(table, column));

    /// <summary>The column's type before this statement: from this script or from earlier migrations.</summary>
    public string? KnownType(ObjectName table, ObjectName column, int before)
    {
        string? type = null;
        foreach (var s in Statements)
        {
            if (s.Index >= before)
            {
                break;
            }

            if (s.Kind == StatementKind.CreateTable && s.Target?.Key == table.Key)
            {
                type = s.Columns.FirstOrDefault(c => c.Name.Key == column.Key)?.Type;
            }

            foreach (var a in s.Actions)
            {
                if (s.Target?.Key == table.Key && a.Column?.Key == column.Key)
                {
                    type = a.Kind switch
                    {
                        AlterActionKind.AddColumn => a.Definition?.Type,
                        AlterActionKind.AlterColumnType => a.NewType,
                        _ => type,
                    };
                }
            }
        }

        return type ?? Schema.ColumnType(table, column);
    }

    internal static string ColumnKey(ObjectName table, ObjectName column) => table.Key + "\u0000" + column.Key;

    private void Walk()
    {
        var lockTimeout = _options.MigratorSetsLockTimeout;
        var statementTimeout = _options.MigratorSetsStatementTimeout;
        var localLock = false;
        var localStatement = false;
        var depth = 0;
        foreach (var s in Statements)
        {
            var inTransaction = RunsInTransaction || depth > 0;
            Before[s.Index] = new StatementState(lockTimeout || localLock, statementTimeout || localStatement, depth, inTransaction);
            switch (s.Kind)
            {
                case StatementKind.Begin:
                    depth++;
                    break;
                case StatementKind.Commit:
                case StatementKind.Rollback:
                case StatementKind.PrepareTransaction:
                    depth = Math.Max(0, depth - 1);
                    if (!RunsInTransaction && depth == 0)
                    {
                        localLock = false;
                        localStatement = false;
                    }

                    break;
                case StatementKind.Set:
                    // SET LOCAL outside a transaction does nothing (PostgreSQL warns and moves on).
                    var applies = !s.SettingLocal || inTransaction;
                    if (s.Setting == "LOCK_TIMEOUT" && applies)
                    {
                        if (s.SettingLocal)
                        {
                            localLock = s.SettingOn;
                        }
                        else
                        {
                            lockTimeout = s.SettingOn;
                        }
                    }
                    else if (s.Setting == "STATEMENT_TIMEOUT" && applies)
                    {
                        if (s.SettingLocal)
                        {
                            localStatement = s.SettingOn;
                        }
                        else
                        {
                            statementTimeout = s.SettingOn;
                        }
                    }

                    break;
                case StatementKind.Reset:
                    if (s.Setting is "LOCK_TIMEOUT" or "ALL")
                    {
                        lockTimeout = localLock = false;
                    }

                    if (s.Setting is "STATEMENT_TIMEOUT" or "ALL")
                    {
                        statementTimeout = localStatement = false;
                    }

                    break;
                case StatementKind.CreateTable when s.Target is { } table:
                    _createdTables.TryAdd(table.Key, s.Index);
                    break;
                case StatementKind.CreateOther when s.Subject == "VIEW" && s.Target is { } view:
                    // Materialized views get indexes; an index on one built in this script locks nobody.
                    _createdTables.TryAdd(view.Key, s.Index);
                    break;
                case StatementKind.CreateIndex when s.IndexName is { } index:
                    _createdIndexes.TryAdd(index.Key, s.Index);
                    break;
                case StatementKind.CreateSchema when s.Target is { } schema:
                    _createdSchemas.TryAdd(schema.Key, s.Index);
                    break;
                case StatementKind.Insert when s.Target is { } target:
                    _insertedInto.TryAdd(target.Key, s.Index);
                    if (_createdTables.ContainsKey(target.Key) && !s.HasTopLevelWhere)
                    {
                        foreach (var source in s.SourceTables)
                        {
                            _copiedOut.TryAdd(source.Key, s.Index);
                            _copiedInto.TryAdd(source.Key, s);
                        }
                    }

                    break;
                case StatementKind.AlterTable when s.Target is { } altered:
                    WalkAlter(s, altered);
                    break;
            }

            if (s.Kind == StatementKind.CreateTable && !s.HasTopLevelWhere)
            {
                foreach (var source in s.SourceTables)
                {
                    _copiedOut.TryAdd(source.Key, s.Index);
                }
            }
        }

        OpenTransactionsAtEnd = depth;
    }

    private void WalkAlter(StatementInfo s, ObjectName table)
    {
        foreach (var a in s.Actions)
        {
            switch (a.Kind)
            {
                case AlterActionKind.AddColumn when a.Column is { } column:
                    _addedColumns.TryAdd(ColumnKey(table, column), s.Index);
                    break;
                case AlterActionKind.AddConstraint:
                    if (a.NotValid && a.ConstraintName is { } name)
                    {
                        _notValid.TryAdd(name.Key, s.Index);
                        if (a.NotNullCheckColumn is { } pending)
                        {
                            _pendingNotNull[name.Key] = ColumnKey(table, pending);
                        }
                    }
                    else if (!a.NotValid && a.NotNullCheckColumn is { } proven)
                    {
                        _validatedNotNull.TryAdd(ColumnKey(table, proven), s.Index);
                    }

                    break;
                case AlterActionKind.ValidateConstraint when a.ConstraintName is { } validated:
                    var key = _pendingNotNull.GetValueOrDefault(validated.Key) ?? Schema.PendingNotNullCheck(validated);
                    if (key is not null)
                    {
                        _validatedNotNull.TryAdd(key, s.Index);
                    }

                    break;
                case AlterActionKind.AlterColumnType when a.Column is { } changed && a.NewType is { } type:
                    _typeChanges[ColumnKey(table, changed)] = type;
                    break;
                case AlterActionKind.RenameTable when a.NewName is { } newName && _createdTables.ContainsKey(table.Key):
                    // A table built in this script and renamed into place (SQLite rebuild) is still new.
                    _createdTables.TryAdd(newName.Key, s.Index);
                    break;
            }
        }
    }
}
