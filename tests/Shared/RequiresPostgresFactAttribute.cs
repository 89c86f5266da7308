namespace TradingBot.Migrations.Testing;

/// <summary>
/// A fact that needs PostgreSQL (<see cref="PostgresCluster"/>). It is skipped when no cluster can be had on this
/// machine, except in CI or when TBM_TEST_POSTGRES is set: there it runs, and fails with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute() => Skip = PostgresCluster.SkipReason;
}
