using System.Net;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>What a cmdlet was given to find its database.</summary>
/// <param name="Database">-Database, verbatim.</param>
/// <param name="Environment">-Environment.</param>
/// <param name="Configuration">The project's configuration file, when there is one.</param>
/// <param name="CurrentDirectory">Where -Database, DATABASE_URL and ./dev.db are relative to.</param>
/// <param name="GetVariable">Reads an environment variable (the process's, or a test's).</param>
/// <param name="Credential">-Credential: the user and password for a PostgreSQL target given without a password.</param>
public sealed record TargetRequest(
    string? Database,
    string? Environment,
    ProjectConfiguration? Configuration,
    string CurrentDirectory,
    Func<string, string?> GetVariable,
    NetworkCredential? Credential = null);

/// <summary>The database a run acts on, the environment it came from (if any), and how it was chosen.</summary>
public sealed record ResolvedTarget(DatabaseTarget Target, EnvironmentConfiguration? Environment, string Source)
{
    public bool IsProtected => Environment?.Protected ?? false;
}

/// <summary>
/// Chooses the database: -Database, then -Environment, then $env:DATABASE_URL, then the configuration
/// file's DefaultEnvironment, then ./dev.db. An environment's timeouts are applied to its target.
/// </summary>
public static class EnvironmentResolver
{
    public const string DatabaseUrlVariable = "DATABASE_URL";

    /// <summary>The one database the request names; an environment that names many is refused (<see cref="ResolveAll"/> takes them).</summary>
    public static ResolvedTarget Resolve(TargetRequest request)
    {
        var all = ResolveAll(request);
        if (all.Count == 1)
        {
            return all[0];
        }

        var environment = all[0].Environment!;
        throw new MigrationException(MigrationErrors.OneTargetOnly,
            $"The environment '{environment.Name}' names {all.Count} databases, and this command acts on one.")
        {
            RecommendedAction = "Pass one database with -Database, or run Invoke-Migration, Undo-Migration, Get-MigrationStatus, Test-MigrationSafety, Export-MigrationSchema or Test-MigrationDrift, which take a list.",
        };
    }

    /// <summary>Every database the request names: one, or each of a list environment (Database = @(...), or a variable with one URL per line).</summary>
    public static IReadOnlyList<ResolvedTarget> ResolveAll(TargetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resolved = ResolveWithoutCredential(request);
        return request.Credential is null
            ? resolved
            : resolved.Select(r => r with { Target = DatabaseTargetParser.WithCredential(r.Target, request.Credential) }).ToList();
    }

    private static List<ResolvedTarget> ResolveWithoutCredential(TargetRequest request)
    {
        if (request.Database is not null)
        {
            // A blank -Database must not quietly fall through to another database: the parser refuses it.
            return [new ResolvedTarget(DatabaseTargetParser.Parse(request.Database, request.CurrentDirectory), null, "-Database")];
        }

        if (!string.IsNullOrWhiteSpace(request.Environment))
        {
            var configuration = request.Configuration ?? throw new MigrationException(MigrationErrors.ConfigurationFileNotFound,
                $"-Environment {request.Environment} needs a configuration file, and there is no {ProjectConfiguration.DefaultFileName} in {request.CurrentDirectory}.")
            {
                RecommendedAction = $"Run from the project root, pass -ConfigurationPath, or create {ProjectConfiguration.DefaultFileName} with an Environments table.",
            };
            return FromEnvironment(configuration, configuration.GetEnvironment(request.Environment), request, "-Environment");
        }

        if (request.GetVariable(DatabaseUrlVariable) is { } url && !string.IsNullOrWhiteSpace(url))
        {
            return [new ResolvedTarget(DatabaseTargetParser.Parse(url, request.CurrentDirectory), null, "$env:" + DatabaseUrlVariable)];
        }

        if (request.Configuration is { DefaultEnvironment: { } defaultName } config)
        {
            return FromEnvironment(config, config.GetEnvironment(defaultName), request, "DefaultEnvironment");
        }

        return [new ResolvedTarget(DatabaseTargetParser.Parse("sqlite:" + DatabaseTargetParser.DefaultSqliteFile, request.CurrentDirectory), null, "default")];
    }

    private static List<ResolvedTarget> FromEnvironment(ProjectConfiguration configuration, EnvironmentConfiguration environment, TargetRequest request, string source)
    {
        IReadOnlyList<string> values;
        string baseDirectory;
        if (environment.DatabaseUrlVariable is { } variable)
        {
            var value = request.GetVariable(variable) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new MigrationException(MigrationErrors.EnvironmentVariableNotSet,
                    $"The environment '{environment.Name}' takes its database from the environment variable {variable}, which is not set.")
                {
                    FilePath = configuration.FilePath,
                    RecommendedAction = $"Set {variable} to the database URL (in CI: in the job's context), or pick another environment.",
                };
            }

            // One URL per line names a fleet; a single line is taken as it is, as before fleets.
            var lines = value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            values = lines.Count > 1 ? lines : [value];

            // A URL from a variable: a relative sqlite: path in it is relative to where the run is.
            baseDirectory = request.CurrentDirectory;
        }
        else
        {
            values = environment.Databases ?? [environment.Database!];
            baseDirectory = configuration.BaseDirectory;
        }

        return values.Select(value => new ResolvedTarget(ApplyTimeouts(DatabaseTargetParser.Parse(value, baseDirectory), environment), environment, source)).ToList();
    }

    /// <summary>The environment's connect and command timeouts in the driver's connection string, and its name on the target.</summary>
    internal static DatabaseTarget ApplyTimeouts(DatabaseTarget target, EnvironmentConfiguration environment) =>
        target.WithConnectionString(
            DatabaseDialects.For(target.Dialect).WithTimeouts(target.ConnectionString, environment.ConnectTimeoutSeconds, environment.CommandTimeoutSeconds),
            environment.Name);
}
