using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Catalog;

public enum MigrationKind
{
    Sql,
    PowerShell,
}

/// <summary>
/// One version's files: the plain up/down scripts, per-dialect variants that replace them on that
/// database, or a PowerShell script with Up and Down blocks.
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

    public ScriptFile? Up { get; internal set; }

    public ScriptFile? Down { get; internal set; }

    public ScriptFile? UpPostgreSql { get; internal set; }

    public ScriptFile? DownPostgreSql { get; internal set; }

    public ScriptFile? UpSqlite { get; internal set; }

    public ScriptFile? DownSqlite { get; internal set; }

    public ScriptFile? PowerShellScript { get; internal set; }

    /// <summary>Whether the PowerShell script defines a Down block (decided by the host that can parse PowerShell).</summary>
    public bool PowerShellHasDown { get; internal set; }

    public ScriptFile? UpFor(SqlDialect dialect) =>
        PowerShellScript ?? (dialect == SqlDialect.PostgreSql ? UpPostgreSql : UpSqlite) ?? Up;

    public ScriptFile? DownFor(SqlDialect dialect) =>
        PowerShellScript is not null
            ? (PowerShellHasDown ? PowerShellScript : null)
            : (dialect == SqlDialect.PostgreSql ? DownPostgreSql : DownSqlite) ?? Down;

    public bool HasDown(SqlDialect dialect) => DownFor(dialect) is not null;

    /// <summary>The checksum recorded when applied: that of the up script used on this dialect.</summary>
    public string? ChecksumFor(SqlDialect dialect) => UpFor(dialect)?.Checksum;

    public override string ToString() => $"{Version}__{Name}";
}
