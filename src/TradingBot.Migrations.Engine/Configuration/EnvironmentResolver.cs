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

    public static ResolvedTarget Resolve(TargetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resolved = ResolveWithoutCredential(request);
        return request.Credential is null ? resolved : resolved with { Target = DatabaseTargetParser.WithCredential(resolved.Target, request.Credential) };
    }

    private static ResolvedTarget ResolveWithoutCredential(TargetRequest request)
    {
        if (request.Database is not null)
        {
            // A blank -Database must not quietly fall through to another database: the parser refuses it.
            return new ResolvedTarget(DatabaseTargetParser.Parse(request.Database, request.CurrentDirectory), null, "-Database");
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
            return new ResolvedTarget(DatabaseTargetParser.Parse(url, request.CurrentDirectory), null, "$env:" + DatabaseUrlVariable);
        }

        if (request.Configuration is { DefaultEnvironment: { } defaultName } config)
        {
            return FromEnvironment(config, config.GetEnvironment(defaultName), request, "DefaultEnvironment");
        }

        return new ResolvedTarget(DatabaseTargetParser.Parse("sqlite:" + DatabaseTargetParser.DefaultSqliteFile, request.CurrentDirectory), null, "default");
    }

    private static ResolvedTarget FromEnvironment(ProjectConfiguration configuration, EnvironmentConfiguration environment, TargetRequest request, string source)
    {
        string value;
        string baseDirectory;
        if (environment.DatabaseUrlVariable is { } variable)
        {
            value = request.GetVariable(variable) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new MigrationException(MigrationErrors.EnvironmentVariableNotSet,
                    $"The environment '{environment.Name}' takes its database from the environment variable {variable}, which is not set.")
                {
                    FilePath = configuration.FilePath,
                    RecommendedAction = $"Set {variable} to the database URL (in CI: in the job's context), or pick another environment.",
                };
            }

            // A URL from a variable: a relative sqlite: path in it is relative to where the run is.
            baseDirectory = request.CurrentDirectory;
        }
        else
        {
            value = environment.Database!;
            baseDirectory = configuration.BaseDirectory;
        }

        var target = DatabaseTargetParser.Parse(value, baseDirectory);
        target = ApplyTimeouts(target, environment);
        return new ResolvedTarget(target, environment, source);
    }

    /// <summary>The environment's connect and command timeouts in the driver's connection string, and its name on the target.</summary>
    internal static DatabaseTarget ApplyTimeouts(DatabaseTarget target, EnvironmentConfiguration environment) =>
        target.WithConnectionString(
            DatabaseDialects.For(target.Dialect).WithTimeouts(target.ConnectionString, environment.ConnectTimeoutSeconds, environment.CommandTimeoutSeconds),
            environment.Name);
}
