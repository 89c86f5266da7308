using TradingBot.Migrations.Engine.Safety.Analysis;

namespace TradingBot.Migrations.Engine.Safety.Rules;

internal sealed class ValidateInSameTransactionRule : ExistingTableActionRule
{
    public override string Id => "validate-in-same-transaction";

    public override SafetySeverity Severity => SafetySeverity.Warning;

    public override string Description => "Validating a constraint in the same transaction that added it NOT VALID keeps the ADD's strong lock for the whole validation scan, undoing the point of NOT VALID.";

    public override string Remedy => "Validate the constraint in a later migration (or mark this one -- transaction: none so each statement commits on its own).";

    protected override string? Message(ScriptContext context, StatementInfo statement, AlterAction action) =>
        action.Kind == AlterActionKind.ValidateConstraint && action.ConstraintName is { } name &&
        context.Before[statement.Index].InTransaction && context.IsNotValidConstraint(name, statement.Index + 1)
            ? $"validates {name.Display} in the same transaction that added it NOT VALID"
            : null;
}
