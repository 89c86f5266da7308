using System.Globalization;
using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>
/// The project's configuration file (migrations.psd1): the migrations folder, the history table, and
/// named environments. Every key is checked: an unknown key, a value of the wrong type or a missing
/// database is an error naming the file, the line and the key.
/// </summary>
public sealed class ProjectConfiguration
{
    public const string DefaultFileName = "migrations.psd1";

    private static readonly string[] TopLevelKeys = ["MigrationsPath", "HistoryTable", "HistorySchema", "DefaultEnvironment", "Environments"];

    private static readonly string[] EnvironmentKeys =
    [
        "Database", "DatabaseUrlVariable", "Protected", "LockTimeoutSeconds", "ConnectTimeoutSeconds", "CommandTimeoutSeconds",
        "PostgresLockTimeout", "PostgresStatementTimeout", "PostgresLockRetries",
    ];

    private ProjectConfiguration(string filePath, IReadOnlyDictionary<string, EnvironmentConfiguration> environments)
    {
        FilePath = filePath;
        Environments = environments;
    }

    /// <summary>The file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The folder relative paths in the file are resolved against (the file's folder).</summary>
    public string BaseDirectory => Path.GetDirectoryName(FilePath) ?? Directory.GetCurrentDirectory();

    /// <summary>The migrations folder as written (relative to <see cref="BaseDirectory"/>), or null.</summary>
    public string? MigrationsPath { get; private init; }

    public string? HistoryTable { get; private init; }

    public string? HistorySchema { get; private init; }

    public string? DefaultEnvironment { get; private init; }

    /// <summary>By name, case-insensitive.</summary>
    public IReadOnlyDictionary<string, EnvironmentConfiguration> Environments { get; }

    /// <summary>The names as written in the file, sorted.</summary>
    public IReadOnlyList<string> EnvironmentNames => Environments.Values.Select(e => e.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The migrations folder, resolved, or null when the file does not say.</summary>
    public string? ResolveMigrationsFolder() => MigrationsPath is null ? null : Path.GetFullPath(MigrationsPath, BaseDirectory);

    /// <summary>The migrations folder every cmdlet and completer uses: -Path, else the file's MigrationsPath, else ./migrations.</summary>
    public static string MigrationsFolder(string? explicitFolder, ProjectConfiguration? configuration, string currentDirectory) =>
        explicitFolder ?? configuration?.ResolveMigrationsFolder() ?? Path.Combine(currentDirectory, "migrations");

    public EnvironmentConfiguration GetEnvironment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Environments.TryGetValue(name, out var environment))
        {
            return environment;
        }

        var known = Environments.Count == 0 ? "none are defined" : "known: " + string.Join(", ", EnvironmentNames);
        throw new MigrationException(MigrationErrors.UnknownEnvironment,
            $"There is no environment '{name}' in {FilePath} ({known}).")
        {
            FilePath = FilePath,
            RecommendedAction = $"Use one of the environments in {FilePath}, or add '{name}' to its Environments table.",
        };
    }

    public static ProjectConfiguration FromEntries(string filePath, IReadOnlyList<ConfigurationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(entries);
        var context = new Context(filePath);
        context.RefuseUnknownAndDuplicateKeys(entries, TopLevelKeys, "the configuration");

        var environments = new Dictionary<string, EnvironmentConfiguration>(StringComparer.OrdinalIgnoreCase);
        if (Find(entries, "Environments") is { } environmentsEntry)
        {
            var table = context.Table(environmentsEntry);
            foreach (var entry in table)
            {
                if (environments.ContainsKey(entry.Key))
                {
                    throw context.Error(MigrationErrors.DuplicateConfigurationKey, entry, $"the environment '{entry.Key}' is defined twice");
                }

                environments[entry.Key] = ReadEnvironment(context, entry);
            }
        }

        var configuration = new ProjectConfiguration(filePath, environments)
        {
            MigrationsPath = context.OptionalString(entries, "MigrationsPath"),
            HistoryTable = context.OptionalString(entries, "HistoryTable"),
            HistorySchema = context.OptionalString(entries, "HistorySchema"),
            DefaultEnvironment = context.OptionalString(entries, "DefaultEnvironment"),
        };

        if (configuration.DefaultEnvironment is { } defaultName && !environments.ContainsKey(defaultName))
        {
            var entry = Find(entries, "DefaultEnvironment")!;
            throw context.Error(MigrationErrors.UnknownEnvironment, entry,
                $"DefaultEnvironment '{defaultName}' is not one of the environments ({(environments.Count == 0 ? "none are defined" : string.Join(", ", configuration.EnvironmentNames))})");
        }

        return configuration;
    }

    private static EnvironmentConfiguration ReadEnvironment(Context context, ConfigurationEntry environmentEntry)
    {
        if (!IsName(environmentEntry.Key))
        {
            throw context.Error(MigrationErrors.InvalidConfigurationValue, environmentEntry,
                $"the environment name '{environmentEntry.Key}' is not a name: use letters, digits, '-' and '_'");
        }

        var entries = context.Table(environmentEntry);
        var where = $"the environment '{environmentEntry.Key}'";
        context.RefuseUnknownAndDuplicateKeys(entries, EnvironmentKeys, where);
        var environment = new EnvironmentConfiguration(environmentEntry.Key)
        {
            Line = environmentEntry.Line,
            Database = Find(entries, "Database") is { Value: string[] } ? null : context.OptionalString(entries, "Database"),
            Databases = context.OptionalStringList(entries, "Database"),
            DatabaseUrlVariable = context.OptionalString(entries, "DatabaseUrlVariable"),
            Protected = context.OptionalBool(entries, "Protected") ?? false,
            LockTimeoutSeconds = context.OptionalSeconds(entries, "LockTimeoutSeconds"),
            ConnectTimeoutSeconds = context.OptionalSeconds(entries, "ConnectTimeoutSeconds"),
            CommandTimeoutSeconds = context.OptionalSeconds(entries, "CommandTimeoutSeconds"),
            PostgresLockTimeout = context.OptionalDuration(entries, "PostgresLockTimeout"),
            PostgresStatementTimeout = context.OptionalDuration(entries, "PostgresStatementTimeout"),
            PostgresLockRetries = context.OptionalCount(entries, "PostgresLockRetries"),
        };

        if ((environment.Database is null && environment.Databases is null) == (environment.DatabaseUrlVariable is null))
        {
            throw context.Error(MigrationErrors.MissingConfigurationValue, environmentEntry,
                $"{where} needs exactly one of Database (a literal such as 'sqlite:./dev.db') or DatabaseUrlVariable (the name of an environment variable such as 'QA_DATABASE_URL')");
        }

        if (environment.DatabaseUrlVariable is { } variable && !IsName(variable))
        {
            throw context.Error(MigrationErrors.InvalidConfigurationValue, Find(entries, "DatabaseUrlVariable")!,
                $"DatabaseUrlVariable '{variable}' is not an environment variable name: write the variable's name (QA_DATABASE_URL), not its value");
        }

        return environment;
    }

    private static bool IsName(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static ConfigurationEntry? Find(IReadOnlyList<ConfigurationEntry> entries, string key) =>
        entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    private sealed class Context(string filePath)
    {
        public void RefuseUnknownAndDuplicateKeys(IReadOnlyList<ConfigurationEntry> entries, string[] known, string where)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in entries)
            {
                if (!known.Contains(entry.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw Error(MigrationErrors.UnknownConfigurationKey, entry, $"'{entry.Key}' is not a key of {where}; known keys: {string.Join(", ", known)}");
                }

                if (!seen.Add(entry.Key))
                {
                    throw Error(MigrationErrors.DuplicateConfigurationKey, entry, $"'{entry.Key}' appears twice in {where}");
                }
            }
        }

        public IReadOnlyList<ConfigurationEntry> Table(ConfigurationEntry entry) =>
            entry.Value as IReadOnlyList<ConfigurationEntry>
            ?? throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be a table, @{{ ... }}, not {Describe(entry.Value)}");

        public string? OptionalString(IReadOnlyList<ConfigurationEntry> entries, string key) => Find(entries, key) switch
        {
            null => null,
            { Value: string text } when !string.IsNullOrWhiteSpace(text) => text,
            var entry => throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be a non-empty string, not {Describe(entry.Value)}"),
        };

        /// <summary>A list of non-empty strings, @('a', 'b'), or null when the key is missing or holds one string.</summary>
        public string[]? OptionalStringList(IReadOnlyList<ConfigurationEntry> entries, string key) => Find(entries, key) switch
        {
            { Value: string[] items } when items.Length > 0 && items.All(i => !string.IsNullOrWhiteSpace(i)) => items,
            { Value: string[] } and var entry => throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must list at least one database, none of them empty"),
            _ => null,
        };

        public bool? OptionalBool(IReadOnlyList<ConfigurationEntry> entries, string key) => Find(entries, key) switch
        {
            null => null,
            { Value: bool value } => value,
            var entry => throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be $true or $false, not {Describe(entry.Value)}"),
        };

        public int? OptionalSeconds(IReadOnlyList<ConfigurationEntry> entries, string key) => Find(entries, key) switch
        {
            null => null,
            { Value: long value } when value is >= 1 and <= 86400 => (int)value,
            { Value: int value } when value is >= 1 and <= 86400 => value,
            var entry => throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be a whole number of seconds from 1 to 86400, not {Describe(entry.Value)}"),
        };

        public int? OptionalCount(IReadOnlyList<ConfigurationEntry> entries, string key) => Find(entries, key) switch
        {
            null => null,
            { Value: long value } when value is >= 0 and <= 100 => (int)value,
            { Value: int value } when value is >= 0 and <= 100 => value,
            var entry => throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be a whole number from 0 to 100, not {Describe(entry.Value)}"),
        };

        public string? OptionalDuration(IReadOnlyList<ConfigurationEntry> entries, string key)
        {
            if (Find(entries, key) is not { } entry)
            {
                return null;
            }

            return entry.Value is string text && ScriptDirectives.TryNormaliseTimeout(text, out var normalised)
                ? normalised
                : throw Error(MigrationErrors.InvalidConfigurationValue, entry, $"'{entry.Key}' must be a PostgreSQL duration such as '5s', '500ms', '10min' or '1h', not {Describe(entry.Value)}");
        }

        public MigrationException Error(MigrationError error, ConfigurationEntry entry, string message) =>
            new(error, $"{filePath}:{entry.Line}: {message}.")
            {
                FilePath = filePath,
                Line = entry.Line,
                RecommendedAction = $"Fix '{entry.Key}' on line {entry.Line} of {filePath}.",
            };

        private static string Describe(object? value) => value switch
        {
            null => "$null",
            string text => $"'{text}'",
            bool flag => flag ? "$true" : "$false",
            IReadOnlyList<ConfigurationEntry> => "a table",
            string[] => "a list",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.GetType().Name,
        };
    }
}
