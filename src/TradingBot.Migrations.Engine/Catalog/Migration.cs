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

    private readonly Dictionary<(ScriptDirection Direction, SqlDialect? Dialect), ScriptFile> scripts = [];

    /// <summary>The plain up script, for every database that has no up script of its own.</summary>
    public ScriptFile? Up => Script(ScriptDirection.Up, null);

    /// <summary>The plain down script, for every database that has no down script of its own.</summary>
    public ScriptFile? Down => Script(ScriptDirection.Down, null);

    /// <summary>Every SQL script of this version, plain and per dialect.</summary>
    public IEnumerable<ScriptFile> SqlScripts => scripts.Values;

    public ScriptFile? PowerShellScript { get; internal set; }

    /// <summary>Whether the PowerShell script defines a Down block (decided by the host that can parse PowerShell).</summary>
    public bool PowerShellHasDown { get; internal set; }

    /// <summary>The SQL script of a direction for one dialect only (null: the plain one), or null.</summary>
    public ScriptFile? Script(ScriptDirection direction, SqlDialect? dialect) => scripts.GetValueOrDefault((direction, dialect));

    internal void Add(ScriptDirection direction, SqlDialect? dialect, ScriptFile script) => scripts[(direction, dialect)] = script;

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
