namespace TradingBot.Migrations.Testing;

/// <summary>The theory counterpart of <see cref="RequiresPostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPostgresTheoryAttribute : TheoryAttribute
{
    public RequiresPostgresTheoryAttribute() => Skip = PostgresCluster.SkipReason;
}
