namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>
/// One key of the configuration file as a reader found it, with the line it is on. The value is a
/// string, a bool, a long, a double, null, or a nested table (<see cref="IReadOnlyList{ConfigurationEntry}"/>).
/// The reader (the cmdlet assembly parses migrations.psd1 with the PowerShell parser) decides syntax;
/// <see cref="ProjectConfiguration.FromEntries"/> decides meaning, so validation is testable here.
/// </summary>
public sealed record ConfigurationEntry(string Key, object? Value, int Line);
