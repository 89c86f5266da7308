namespace TradingBot.Migrations.Engine.Sql;

/// <summary>The SQL dialects the engine understands; each has one folder under Databases/.</summary>
public enum SqlDialect
{
    PostgreSql,
    Sqlite,
}
