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
/// <remarks>
/// Not generic over the enums: code generic over another assembly's value types has no precompiled form and is
/// JIT-compiled in every new pwsh, then runs unoptimised while a status of 10,000 rows is mapped.
/// </remarks>
internal static class EngineEnums
{
    private static readonly ByName States = new(typeof(EngineState), typeof(MigrationState));
    private static readonly ByName Directions = new(typeof(EngineDirection), typeof(MigrationDirection));
    private static readonly ByName Outcomes = new(typeof(EngineStepOutcome), typeof(MigrationResultStatus));
    private static readonly ByName RepairActions = new(typeof(EngineRepairAction), typeof(MigrationRepairAction));
    private static readonly ByName EngineRepairActions = new(typeof(MigrationRepairAction), typeof(EngineRepairAction));
    private static readonly ByName SourceTools = new(typeof(MigrationSourceTool), typeof(EngineSourceTool));
    private static readonly ByName RollbackKinds = new(typeof(EngineRollbackKind), typeof(RollbackKind));
    private static readonly ByName Severities = new(typeof(EngineSeverity), typeof(SafetySeverity));

    public static MigrationState ToOutput(this EngineState state) => (MigrationState)States.Map((int)state);

    public static MigrationDirection ToOutput(this EngineDirection direction) => (MigrationDirection)Directions.Map((int)direction);

    public static MigrationResultStatus ToOutput(this EngineStepOutcome outcome) => (MigrationResultStatus)Outcomes.Map((int)outcome);

    public static MigrationRepairAction ToOutput(this EngineRepairAction action) => (MigrationRepairAction)RepairActions.Map((int)action);

    public static EngineRepairAction ToEngine(this MigrationRepairAction action) => (EngineRepairAction)EngineRepairActions.Map((int)action);

    public static EngineSourceTool ToEngine(this MigrationSourceTool tool) => (EngineSourceTool)SourceTools.Map((int)tool);

    public static RollbackKind ToOutput(this EngineRollbackKind kind) => (RollbackKind)RollbackKinds.Map((int)kind);

    public static SafetySeverity ToOutput(this EngineSeverity severity) => (SafetySeverity)Severities.Map((int)severity);

    /// <summary>One enum's members (numbered 0 to n, as declared) to another's of the same names.</summary>
    private sealed class ByName
    {
        private readonly Type from;
        private readonly int[] values;

        public ByName(Type from, Type to)
        {
            this.from = from;
            var members = Enum.GetValues(from);
            values = new int[members.Length];
            foreach (var member in members)
            {
                var number = Convert.ToInt32(member, System.Globalization.CultureInfo.InvariantCulture);
                if (number < 0 || number >= values.Length)
                {
                    throw new InvalidOperationException($"{from.FullName}.{member} is numbered {number}: the mapping expects its members numbered 0 to {values.Length - 1}.");
                }

                values[number] = Convert.ToInt32(Enum.Parse(to, Enum.GetName(from, member)!, ignoreCase: false), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public int Map(int value) =>
            value >= 0 && value < values.Length
                ? values[value]
                : throw new ArgumentOutOfRangeException(nameof(value), value, $"{from.FullName} has no member numbered {value}.");
    }
}
