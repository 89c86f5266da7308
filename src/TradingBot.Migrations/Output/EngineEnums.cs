using System.Collections.Frozen;
using EngineSourceTool = TradingBot.Migrations.Engine.Adoption.SourceTool;
using EngineDirection = TradingBot.Migrations.Engine.Planning.MigrationDirection;
using EngineRepairAction = TradingBot.Migrations.Engine.Repair.RepairAction;
using EngineRollbackKind = TradingBot.Migrations.Engine.Safety.RollbackKind;
using EngineSeverity = TradingBot.Migrations.Engine.Safety.SafetySeverity;
using EngineState = TradingBot.Migrations.Engine.Status.MigrationState;
using EngineStepOutcome = TradingBot.Migrations.Engine.Execution.StepOutcome;

namespace TradingBot.Migrations;

/// <summary>
/// The engine's enums and the module's output enums, one mapping per pair, matched by member name: reordering or
/// renumbering either side cannot map a value onto the wrong one, and a member missing on one side fails the first use.
/// </summary>
internal static class EngineEnums
{
    public static MigrationState ToOutput(this EngineState state) => ByName<EngineState, MigrationState>.Map(state);

    public static MigrationDirection ToOutput(this EngineDirection direction) => ByName<EngineDirection, MigrationDirection>.Map(direction);

    public static MigrationResultStatus ToOutput(this EngineStepOutcome outcome) => ByName<EngineStepOutcome, MigrationResultStatus>.Map(outcome);

    public static MigrationRepairAction ToOutput(this EngineRepairAction action) => ByName<EngineRepairAction, MigrationRepairAction>.Map(action);

    public static EngineRepairAction ToEngine(this MigrationRepairAction action) => ByName<MigrationRepairAction, EngineRepairAction>.Map(action);

    public static EngineSourceTool ToEngine(this MigrationSourceTool tool) => ByName<MigrationSourceTool, EngineSourceTool>.Map(tool);

    public static RollbackKind ToOutput(this EngineRollbackKind kind) => ByName<EngineRollbackKind, RollbackKind>.Map(kind);

    public static SafetySeverity ToOutput(this EngineSeverity severity) => ByName<EngineSeverity, SafetySeverity>.Map(severity);

    private static class ByName<TFrom, TTo>
        where TFrom : struct, Enum
        where TTo : struct, Enum
    {
        private static readonly FrozenDictionary<TFrom, TTo> Values =
            Enum.GetValues<TFrom>().ToFrozenDictionary(value => value, value => Enum.Parse<TTo>(Enum.GetName(value)!, ignoreCase: false));

        public static TTo Map(TFrom value) =>
            Values.TryGetValue(value, out var mapped)
                ? mapped
                : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TFrom).FullName} has no member {value}.");
    }
}
