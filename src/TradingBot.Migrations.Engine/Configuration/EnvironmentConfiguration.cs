namespace TradingBot.Migrations.Engine.Configuration;

/// <summary>One named environment of the configuration file (dev, qa, prod).</summary>
public sealed record EnvironmentConfiguration(string Name)
{
    /// <summary>A literal database (sqlite:./dev.db); exclusive with <see cref="DatabaseUrlVariable"/>.</summary>
    public string? Database { get; init; }

    /// <summary>A fleet: Database = @('sqlite:./t1.db', 'sqlite:./t2.db'); exclusive with <see cref="Database"/> and <see cref="DatabaseUrlVariable"/>.</summary>
    public IReadOnlyList<string>? Databases { get; init; }

    /// <summary>The environment variable that holds the database URL (QA_DATABASE_URL), or a fleet's URLs one per line.</summary>
    public string? DatabaseUrlVariable { get; init; }

    /// <summary>Production: rollbacks need -Force in scripts, and drift or out-of-order migrations are never overridden.</summary>
    public bool Protected { get; init; }

    /// <summary>Seconds to wait for another run's lock (the run lock); -LockTimeout overrides it.</summary>
    public int? LockTimeoutSeconds { get; init; }

    /// <summary>Seconds to wait for a connection (Npgsql Timeout).</summary>
    public int? ConnectTimeoutSeconds { get; init; }

    /// <summary>Seconds a command may run (Npgsql Command Timeout; SQLite's default timeout).</summary>
    public int? CommandTimeoutSeconds { get; init; }

    /// <summary>PostgreSQL lock_timeout for each migration (5s); a `-- lock_timeout:` directive overrides it.</summary>
    public string? PostgresLockTimeout { get; init; }

    /// <summary>PostgreSQL statement_timeout for each migration (10min); a `-- statement_timeout:` directive overrides it.</summary>
    public string? PostgresStatementTimeout { get; init; }

    /// <summary>How many times a migration stopped by its PostgresLockTimeout is tried again; Invoke-Migration -LockRetry overrides it.</summary>
    public int? PostgresLockRetries { get; init; }

    /// <summary>The line in the configuration file where this environment starts, for error messages.</summary>
    public int Line { get; init; }
}
