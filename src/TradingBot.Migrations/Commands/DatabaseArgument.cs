namespace TradingBot.Migrations.Commands;

/// <summary>
/// One -Database value of a cmdlet that takes many: made from a string only. A string[] parameter that takes pipeline
/// input would turn any piped object into its text (a piped MigrationStatus would become a "database"); PowerShell
/// converts to this type only from strings (a piped string, or a Database/ConnectionString property), so other objects
/// pass it by and bind as they did before.
/// </summary>
public sealed class DatabaseArgument
{
    public DatabaseArgument(string value)
    {
        Value = value ?? string.Empty;
    }

    public string Value { get; }

    public override string ToString() => Value;
}
