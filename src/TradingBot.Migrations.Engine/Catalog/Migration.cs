using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Catalog;

public enum MigrationKind
{
    Sql,
    PowerShell,
}

public enum ScriptDirection
{
    Up,
    Down,
}

/// <summary>
/// One version's files: its SQL scripts by direction and dialect (a plain script, and per-dialect ones that replace it
/// on that database), or a PowerShell script with Up and Down blocks.
/// </summary>
public sealed class Migration
{
    internal Migration(MigrationVersion version, string name)
    {
        Version = version;
        Name = name;
    }

    public MigrationVersion Version { get; }

    public string Name { get; }

    public MigrationKind Kind => PowerShellScript is null ? MigrationKind.Sql : MigrationKind.PowerShell;

    // By direction, then plain, PostgreSQL, SQLite: a slot each. (Not a dictionary keyed on a tuple of these enums: its
    // code would be JIT-compiled in every new process and run unoptimised over a large folder's 20,000 files.)
    private readonly ScriptFile?[] scripts = new ScriptFile?[2 * (DialectCount + 1)];
    private static readonly int DialectCount = Enum.GetValues<SqlDialect>().Length;

    /// <summary>The plain up script, for every database that has no up script of its own.</summary>
    public ScriptFile? Up => Script(ScriptDirection.Up, null);

    /// <summary>The plain down script, for every database that has no down script of its own.</summary>
    public ScriptFile? Down => Script(ScriptDirection.Down, null);

    /// <summary>Every SQL script of this version, plain and per dialect.</summary>
    public IEnumerable<ScriptFile> SqlScripts => scripts.OfType<ScriptFile>();

    public ScriptFile? PowerShellScript { get; internal set; }

    /// <summary>Whether the PowerShell script defines a Down block (decided by the host that can parse PowerShell).</summary>
    public bool PowerShellHasDown { get; internal set; }

    /// <summary>The SQL script of a direction for one dialect only (null: the plain one), or null.</summary>
    public ScriptFile? Script(ScriptDirection direction, SqlDialect? dialect) => scripts[Slot(direction, dialect)];

    internal void Add(ScriptDirection direction, SqlDialect? dialect, ScriptFile script) => scripts[Slot(direction, dialect)] = script;

    private static int Slot(ScriptDirection direction, SqlDialect? dialect) =>
        ((int)direction * (DialectCount + 1)) + (dialect is { } d ? (int)d + 1 : 0);

    public ScriptFile? UpFor(SqlDialect dialect) => PowerShellScript ?? Script(ScriptDirection.Up, dialect) ?? Up;

    public ScriptFile? DownFor(SqlDialect dialect) =>
        PowerShellScript is not null
            ? (PowerShellHasDown ? PowerShellScript : null)
            : Script(ScriptDirection.Down, dialect) ?? Down;

    public bool HasDown(SqlDialect dialect) => DownFor(dialect) is not null;

    /// <summary>The checksum recorded when applied: that of the up script used on this dialect.</summary>
    public string? ChecksumFor(SqlDialect dialect) => UpFor(dialect)?.Checksum;

    public override string ToString() => $"{Version}__{Name}";
}
