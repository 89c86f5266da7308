using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace HelpGenerator;

/// <summary>One parameter as help shows it: a cmdlet property with [Parameter], or -WhatIf / -Confirm that ShouldProcess adds.</summary>
internal sealed record HelpParameter(
    string Name,
    Type Type,
    IReadOnlyList<ParameterAttribute> Attributes,
    IReadOnlyList<string> Aliases,
    string Description,
    string? DefaultValue)
{
    public bool IsSwitch => Type == typeof(SwitchParameter);

    public bool TakesPipelineInput => Attributes.Any(a => a.ValueFromPipeline || a.ValueFromPipelineByPropertyName);

    public static HelpParameter FromProperty(PropertyInfo property, IReadOnlyList<ParameterAttribute> attributes, string description, object? cmdlet) =>
        new(property.Name, property.PropertyType, attributes,
            property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToList(),
            description, DefaultOf(property, cmdlet));

    /// <summary>-WhatIf and -Confirm: PowerShell adds them to every parameter set of a cmdlet that supports ShouldProcess.</summary>
    public static IEnumerable<HelpParameter> ShouldProcessParameters(ConfirmImpact impact)
    {
        yield return new HelpParameter("WhatIf", typeof(SwitchParameter), [new ParameterAttribute()], ["wi"],
            "Shows what the cmdlet would do without doing it.", null);
        yield return new HelpParameter("Confirm", typeof(SwitchParameter), [new ParameterAttribute()], ["cf"],
            impact == ConfirmImpact.High
                ? "Asks for confirmation before acting. ConfirmImpact is High, so it asks unless -Confirm:$false (or -Force, where the cmdlet has it) is given."
                : "Asks for confirmation before acting.", null);
    }

    public IReadOnlyList<ParameterAttribute> In(string set) =>
        Attributes.Where(a => a.ParameterSetName == set || a.ParameterSetName == ParameterAttribute.AllParameterSets).ToList();

    public static string PipelineInput(IReadOnlyList<ParameterAttribute> attributes)
    {
        var byValue = attributes.Any(a => a.ValueFromPipeline);
        var byName = attributes.Any(a => a.ValueFromPipelineByPropertyName);
        return byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
    }

    public static string Position(IReadOnlyList<ParameterAttribute> attributes)
    {
        var position = attributes.Select(a => a.Position).FirstOrDefault(p => p >= 0, int.MinValue);
        return position == int.MinValue ? "named" : position.ToString(CultureInfo.InvariantCulture);
    }

    // The value a new cmdlet object holds: 300 for -LockTimeout, "Migrations" for -Title; none for nulls, zeros, false and "".
    private static string? DefaultOf(PropertyInfo property, object? cmdlet)
    {
        var value = cmdlet is null ? null : property.GetValue(cmdlet);
        return value switch
        {
            null or false or 0 or "" => null,
            SwitchParameter s => s.IsPresent ? "True" : null,
            Array { Length: 0 } => null,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }
}
