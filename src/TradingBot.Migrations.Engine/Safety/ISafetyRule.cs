namespace TradingBot.Migrations.Engine.Safety;

/// <summary>A safety rule: a stable id, how bad it is, why, and what to do instead.</summary>
internal interface ISafetyRule
{
    string Id { get; }

    SafetySeverity Severity { get; }

    /// <summary>Why the pattern hurts, in one or two sentences.</summary>
    string Description { get; }

    /// <summary>The safe alternative.</summary>
    string Remedy { get; }

    RuleDialects Dialects { get; }

    /// <summary>
    /// What the rule claims PostgreSQL does to the table its statement names (the lock mode is the statement's, from
    /// <see cref="StatementImpacts"/>): a lock trace confirms or refutes it.
    /// </summary>
    LockClaim Claims => LockClaim.None;
}

/// <summary>What a rule's finding says the statement does to its table, for the lock trace to check.</summary>
internal enum LockClaim
{
    /// <summary>Nothing about locks (data loss, renames, transactions).</summary>
    None,

    /// <summary>Takes the statement's lock on the table (a write-blocking one unless the rule says otherwise).</summary>
    Locks,

    /// <summary>Takes the lock and writes the table anew (a new relfilenode).</summary>
    Rewrites,
}
