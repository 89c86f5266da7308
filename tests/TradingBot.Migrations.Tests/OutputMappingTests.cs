using System.Reflection;

namespace TradingBot.Migrations.Tests;

/// <summary>Each engine enum maps onto the output enum of the same member names, by name, both ways where the module maps back.</summary>
public sealed class OutputMappingTests
{
    public static TheoryData<string> Mappings() =>
        new(MappingMethods().Select(m => $"{m.Name}({m.GetParameters()[0].ParameterType.FullName})"));

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Every_value_maps_to_the_value_of_the_same_name(string mapping)
    {
        var method = MappingMethods().Single(m => $"{m.Name}({m.GetParameters()[0].ParameterType.FullName})" == mapping);
        var from = method.GetParameters()[0].ParameterType;
        var to = method.ReturnType;

        Assert.Equal(Enum.GetNames(from).Order(StringComparer.Ordinal), Enum.GetNames(to).Order(StringComparer.Ordinal));
        foreach (var value in Enum.GetValues(from))
        {
            var mapped = method.Invoke(null, [value])!;
            Assert.Equal(to, mapped.GetType());
            Assert.Equal(Enum.GetName(from, value), Enum.GetName(to, mapped));
        }
    }

    [Fact]
    public void Each_output_enum_has_one_mapping_from_its_engine_enum_and_repair_actions_map_back()
    {
        var pairs = MappingMethods().Select(m => $"{m.GetParameters()[0].ParameterType.FullName} -> {m.ReturnType.FullName}").Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "TradingBot.Migrations.Engine.Execution.StepOutcome -> TradingBot.Migrations.MigrationResultStatus",
            "TradingBot.Migrations.Engine.Planning.MigrationDirection -> TradingBot.Migrations.MigrationDirection",
            "TradingBot.Migrations.Engine.Repair.RepairAction -> TradingBot.Migrations.MigrationRepairAction",
            "TradingBot.Migrations.Engine.Safety.RollbackKind -> TradingBot.Migrations.RollbackKind",
            "TradingBot.Migrations.Engine.Safety.SafetySeverity -> TradingBot.Migrations.SafetySeverity",
            "TradingBot.Migrations.Engine.Status.MigrationState -> TradingBot.Migrations.MigrationState",
            "TradingBot.Migrations.MigrationRepairAction -> TradingBot.Migrations.Engine.Repair.RepairAction",
            "TradingBot.Migrations.MigrationSourceTool -> TradingBot.Migrations.Engine.Adoption.SourceTool",
        ], pairs);
    }

    private static IEnumerable<MethodInfo> MappingMethods() =>
        ModuleInternals.Type("TradingBot.Migrations.EngineEnums")
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name is "ToOutput" or "ToEngine");
}
