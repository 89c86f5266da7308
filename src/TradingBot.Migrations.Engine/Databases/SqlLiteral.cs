namespace TradingBot.Migrations.Engine.Databases;

/// <summary>A string as a standard SQL literal, for the previews (-ScriptPath) of history statements; runs use parameters.</summary>
internal static class SqlLiteral
{
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
