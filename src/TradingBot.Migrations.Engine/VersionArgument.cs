using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Engine;

/// <summary>A version a host was given as text (a parameter, a command-line argument).</summary>
public static class VersionArgument
{
    /// <summary>Parses <paramref name="text"/>, or throws <paramref name="error"/> saying what is wrong with it.</summary>
    public static MigrationVersion Parse(string text, string label, MigrationError error) =>
        MigrationVersion.TryParse(text, out var version, out var problem)
            ? version
            : throw new MigrationException(error, $"{label}: {problem}.");
}
