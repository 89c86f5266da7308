# Project configuration for TradingBot.Migrations. Read as data, never run: only constants and @{ } tables.
# Which database a cmdlet uses: -Database, then -Environment, then $env:DATABASE_URL, then DefaultEnvironment,
# then ./dev.db. -Path, -HistoryTable and -HistorySchema override the values here.
@{
    MigrationsPath     = 'migrations'          # relative to this file
    HistoryTable       = 'schema_migrations'
    # HistorySchema    = 'public'              # PostgreSQL only; default: the first schema on the search path

    DefaultEnvironment = 'dev'

    Environments       = @{
        # A developer's machine: a SQLite file next to this one.
        dev  = @{
            Database = 'sqlite:./dev.db'
        }

        # CircleCI context tradebot-qa sets QA_DATABASE_URL (postgres://user:password@host:5432/db?sslmode=require).
        qa   = @{
            DatabaseUrlVariable      = 'QA_DATABASE_URL'
            ConnectTimeoutSeconds    = 15
            CommandTimeoutSeconds    = 300
            PostgresLockTimeout      = '10s'
        }

        # The tenant fleet: CircleCI context tradebot-tenants sets TENANT_DATABASE_URLS, one URL per line. Invoke-Migration
        # and Get-MigrationStatus run every one of them (-Shard CircleCI: this node's share).
        tenants = @{
            DatabaseUrlVariable      = 'TENANT_DATABASE_URLS'
            ConnectTimeoutSeconds    = 15
            PostgresLockTimeout      = '10s'
        }

        # CircleCI context tradebot-prod sets PROD_DATABASE_URL. Protected: rollbacks need -Force in scripts, and
        # modified or out-of-order migrations are refused with no override.
        prod = @{
            DatabaseUrlVariable      = 'PROD_DATABASE_URL'
            Protected                = $true
            LockTimeoutSeconds       = 600        # wait up to 10 minutes for another run's lock
            ConnectTimeoutSeconds    = 15
            CommandTimeoutSeconds    = 900
            PostgresLockTimeout      = '5s'       # a migration waiting longer than this for a table lock fails instead of blocking traffic
            PostgresStatementTimeout = '10min'    # per statement; a migration's -- statement_timeout: directive overrides it
        }
    }
}
