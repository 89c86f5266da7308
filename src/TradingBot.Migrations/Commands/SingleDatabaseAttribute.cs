using System.Collections;
using System.Management.Automation;

namespace TradingBot.Migrations.Commands;

/// <summary>
/// On the -Database of a cmdlet that acts on one database: several values are refused with a message that says so and
/// names the cmdlets that take many, instead of PowerShell's "cannot convert System.Object[]" (one value passes unchanged).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SingleDatabaseAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is IList { Count: > 1 } list)
        {
            throw new ArgumentTransformationMetadataException(
                $"-Database takes one database here, and it was given {list.Count}. Invoke-Migration, Undo-Migration, Get-MigrationStatus, " +
                "Test-MigrationSafety, Export-MigrationSchema and Test-MigrationDrift take many; run this command once per database.");
        }

        return value is IList { Count: 1 } single ? single[0] : inputData;
    }
}
