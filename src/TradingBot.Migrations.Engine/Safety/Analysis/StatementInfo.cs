using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Analysis;

internal enum StatementKind
{
    Other,
    Unknown,
    CreateTable,
    CreateIndex,
    CreateSchema,
    CreateTrigger,
    CreateOther,
    DropTable,
    DropIndex,
    DropSchema,
    DropDatabase,
    DropOther,
    AlterTable,
    AlterSchema,
    AlterType,
    AlterDomain,
    AlterOther,
    Truncate,
    Delete,
    Update,
    Insert,
    Select,
    Begin,
    Commit,
    Rollback,

    /// <summary>PREPARE TRANSACTION: hands the transaction over for a two-phase commit, which ends it in this session.</summary>
    PrepareTransaction,
    Set,
    Reset,
    Reindex,
    Vacuum,
    Cluster,
    Lock,
    Do,
    Refresh,
}

internal enum AlterActionKind
{
    Other,
    AddColumn,
    AddConstraint,
    DropColumn,
    DropConstraint,
    AlterColumnType,
    SetNotNull,
    DropNotNull,
    SetDefault,
    RenameColumn,
    RenameTable,
    RenameConstraint,
    ValidateConstraint,
    DetachPartition,
    Rewrite,

    /// <summary>Actions that take only SHARE UPDATE EXCLUSIVE: reads and writes go on (SET STATISTICS, SET (storage params)).</summary>
    WeakLock,
}

internal enum ConstraintKind
{
    None,
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclude,
}

/// <summary>A column as declared in CREATE TABLE or ALTER TABLE ... ADD COLUMN.</summary>
internal sealed class ColumnDefinition
{
    public required ObjectName Name { get; init; }

    public string Type { get; set; } = string.Empty;

    public bool NotNull { get; set; }

    public bool HasDefault { get; set; }

    public bool VolatileDefault { get; set; }

    /// <summary>The default is an expression SQLite refuses in ADD COLUMN: parenthesised, a function call or CURRENT_*.</summary>
    public bool NonConstantDefault { get; set; }

    public string? VolatileFunction { get; set; }

    public bool GeneratedStored { get; set; }

    public bool Identity { get; set; }

    public bool Serial { get; set; }

    public bool PrimaryKey { get; set; }

    public bool Unique { get; set; }

    public bool References { get; set; }

    public bool Check { get; set; }
}

internal sealed class AlterAction
{
    public AlterActionKind Kind { get; set; }

    public int Start { get; init; }

    public int End { get; init; }

    public ObjectName? Column { get; set; }

    public ColumnDefinition? Definition { get; set; }

    public ConstraintKind Constraint { get; set; }

    public ObjectName? ConstraintName { get; set; }

    public bool NotValid { get; set; }

    public bool UsingIndex { get; set; }

    public bool Concurrently { get; set; }

    public bool IfExists { get; set; }

    public bool IfNotExists { get; set; }

    public bool Using { get; set; }

    /// <summary>ALTER COLUMN ... TYPE ... USING: the expression's text.</summary>
    public string? UsingExpression { get; set; }

    public string? NewType { get; set; }

    public ObjectName? NewName { get; set; }

    /// <summary>For CHECK (col IS NOT NULL): the column it proves not null.</summary>
    public ObjectName? NotNullCheckColumn { get; set; }
}

/// <summary>What one statement does, classified once so every rule reads the same facts.</summary>
internal sealed class StatementInfo
{
    public StatementInfo(StatementView view, int index)
    {
        View = view;
        Index = index;
    }

    public StatementView View { get; }

    public SqlStatement Statement => View.Statement;

    public int Index { get; }

    public StatementKind Kind { get; set; }

    /// <summary>The table a statement works on (CREATE/ALTER TABLE, CREATE INDEX ON, DELETE, UPDATE, INSERT, LOCK, TRIGGER ON).</summary>
    public ObjectName? Target { get; set; }

    /// <summary>Every object named by DROP, TRUNCATE, LOCK.</summary>
    public List<ObjectName> Targets { get; } = [];

    public ObjectName? IndexName { get; set; }

    public bool Concurrently { get; set; }

    public bool IfExists { get; set; }

    public bool IfNotExists { get; set; }

    public bool Cascade { get; set; }

    public bool Temporary { get; set; }

    /// <summary>CREATE TABLE ... PARTITION OF parent: the parent, which is locked.</summary>
    public ObjectName? PartitionParent { get; set; }

    /// <summary>CREATE INDEX ... ON ONLY a partitioned table: the parent index alone, nothing is built.</summary>
    public bool OnlyParent { get; set; }

    public bool HasTopLevelWhere { get; set; }

    public bool Full { get; set; }

    public bool NotValid { get; set; }

    public string? Subject { get; set; }

    public List<AlterAction> Actions { get; } = [];

    public List<ColumnDefinition> Columns { get; } = [];

    /// <summary>Tables read by FROM/JOIN (INSERT ... SELECT, CREATE TABLE AS).</summary>
    public List<ObjectName> SourceTables { get; } = [];

    /// <summary>SET/RESET/set_config: the setting (lower case) and whether the value turns it on (non-zero).</summary>
    public string? Setting { get; set; }

    public bool SettingOn { get; set; }

    public bool SettingLocal { get; set; }

    public override string ToString() => $"{Kind} {Target} {Statement.Text}";
}
