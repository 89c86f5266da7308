using TradingBot.Migrations.Engine.Safety.Rules;

namespace TradingBot.Migrations.Engine.Safety;

/// <summary>Every rule, in the order findings are reported. A new rule is one class plus one line here.</summary>
internal static class SafetyRules
{
    internal static readonly IReadOnlyList<SafetyRule> Registered =
    [
        new SyntaxErrorRule(),
        new SqliteAlterTableLimitRule(),
        new SqliteTableRebuildRule(),
        new DropDatabaseRule(),
        new DropSchemaRule(),
        new DropTableRule(),
        new DropColumnRule(),
        new TruncateRule(),
        new TruncateCascadeRule(),
        new DeleteWithoutWhereRule(),
        new UpdateWithoutWhereRule(),
        new AddNotNullWithoutDefaultRule(),
        new VolatileDefaultRule(),
        new AddGeneratedStoredColumnRule(),
        new ChangeColumnTypeRule(),
        new SetNotNullRule(),
        new DropNotNullRule(),
        new CreateIndexNonConcurrentlyRule(),
        new DropIndexNonConcurrentlyRule(),
        new ConcurrentIndexInTransactionRule(),
        new NotAllowedInTransactionRule(),
        new AddForeignKeyValidatingRule(),
        new AddCheckConstraintValidatingRule(),
        new ValidateInSameTransactionRule(),
        new AddUniqueConstraintRule(),
        new AddPrimaryKeyConstraintRule(),
        new AddExclusionConstraintRule(),
        new RenameColumnRule(),
        new RenameTableRule(),
        new RenameSchemaRule(),
        new RenameEnumValueRule(),
        new EnumValueUsedInSameTransactionRule(),
        new EnumValueWithoutPositionRule(),
        new ReindexNonConcurrentlyRule(),
        new DetachPartitionNonConcurrentlyRule(),
        new VacuumFullOrClusterRule(),
        new ExplicitLockTableRule(),
        new DomainConstraintRule(),
        new IdentifierTooLongRule(),
        new UncommittedTransactionRule(),
        new TransactionControlInMigrationRule(),
        new TransactionNestingRule(),
        new MissingLockTimeoutRule(),
        new MissingStatementTimeoutRule(),
        new NonIdempotentDdlRule(),
        new IrreversibleWithoutDownRule(),
        new MissingDownRule(),
        new DownDropsDataRule(),
        new DownDropsNewDataRule(),
        new UnreadableDownRule(),
        new InvalidSuppressionRule(),
        new AnalysisErrorRule(),
    ];

    private static readonly Dictionary<string, SafetyRule> ById = Registered.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every rule's id, severity, description, remedy and dialects (for help, completion and docs).</summary>
    public static IReadOnlyList<ISafetyRule> All => Registered;

    public static ISafetyRule? Find(string id) => ById.GetValueOrDefault(id);

    internal static bool Exists(string id) => ById.ContainsKey(id);

    internal static SafetyRule Get(string id) => ById[id];
}
