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
}
