using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace HelpGenerator;

/// <summary>
/// Writes one cmdlet's MAML (the format Get-Help reads) from its attributes and XML doc comments, and collects what is
/// missing: a synopsis, a description, two examples, a description for every parameter and every output type.
/// </summary>
internal sealed class MamlWriter(DocComments docs, IReadOnlyList<Type> moduleOutputTypes)
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public List<string> Problems { get; } = [];

    public static XDocument Document(IEnumerable<XElement> commands) => new(new XElement("helpItems", new XAttribute("schema", "maml"),
        new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
        new XAttribute(XNamespace.Xmlns + "dev", Dev), commands));

    public XElement CommandHelp(Type type, CmdletAttribute attribute)
    {
        var name = $"{attribute.VerbName}-{attribute.NounName}";
        var typeDoc = docs.Type(type);
        var synopsis = DocComments.Text(typeDoc?.Element("summary"));
        var description = DocComments.Paragraphs(typeDoc?.Element("remarks"));
        var examples = typeDoc?.Elements("example").ToList() ?? [];
        if (synopsis.Length == 0) Problems.Add($"{name} has no <summary> (its synopsis).");
        if (description.Count == 0) Problems.Add($"{name} has no <remarks> (its description).");
        if (examples.Count < 2) Problems.Add($"{name} has {examples.Count} <example>; write at least two.");

        var parameters = Parameters(name, type, attribute);
        var sets = parameters.SelectMany(p => p.Attributes.Select(a => a.ParameterSetName))
            .Where(s => s != ParameterAttribute.AllParameterSets).Distinct().DefaultIfEmpty(ParameterAttribute.AllParameterSets).ToList();
        var syntax = sets.Select(set => new XElement(Command + "syntaxItem", new XElement(Maml + "name", name),
            parameters.Where(p => p.In(set).Count > 0)
                .OrderBy(p => HelpParameter.Position(p.In(set)) is var position && position == "named" ? int.MaxValue : int.Parse(position, System.Globalization.CultureInfo.InvariantCulture))
                .Select(p => SyntaxParameter(p, p.In(set)))));

        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", name),
                new XElement(Maml + "description", new XElement(Maml + "para", synopsis)),
                new XElement(Command + "verb", attribute.VerbName),
                new XElement(Command + "noun", attribute.NounName)),
            new XElement(Maml + "description", description.Select(p => new XElement(Maml + "para", p))),
            new XElement(Command + "syntax", syntax),
            new XElement(Command + "parameters", parameters.Select(p => ParameterEntry(p))),
            new XElement(Command + "inputTypes", InputTypes(name, parameters)),
            new XElement(Command + "returnValues", ReturnValues(name, type, typeDoc)),
            new XElement(Command + "examples", examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                new XElement(Dev + "code", DocComments.Code(e.Element("code"))),
                new XElement(Dev + "remarks", DocComments.Paragraphs(e).Select(p => new XElement(Maml + "para", p)))))));
    }

    private List<HelpParameter> Parameters(string cmdlet, Type type, CmdletAttribute attribute)
    {
        var instance = type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        var parameters = new List<HelpParameter>();
        // A cmdlet may hide a base parameter with `new` (a fleet cmdlet's -Database takes many): PowerShell binds the most derived one.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .GroupBy(p => p.Name)
            .Select(g => g.OrderByDescending(p => Depth(p.DeclaringType)).First());
        foreach (var property in properties)
        {
            var attributes = property.GetCustomAttributes<ParameterAttribute>().ToList();
            if (attributes.Count == 0 || attributes.All(a => a.DontShow)) continue; // DontShow: not for users to type (pipeline binding)
            var text = DocComments.Text(docs.Property(property)?.Element("summary"));
            if (text.Length == 0) Problems.Add($"{cmdlet} -{property.Name} has no <summary> (its description).");
            parameters.Add(HelpParameter.FromProperty(property, attributes, text, instance));
        }

        (instance as IDisposable)?.Dispose();
        return attribute.SupportsShouldProcess ? [.. parameters, .. HelpParameter.ShouldProcessParameters(attribute.ConfirmImpact)] : parameters;
    }

    // In SYNTAX a switch has no value: PowerShell renders a parameterValue as "<SwitchParameter>".
    private static XElement SyntaxParameter(HelpParameter parameter, IReadOnlyList<ParameterAttribute> attributes) =>
        new(Command + "parameter",
            ParameterAttributes(parameter, attributes),
            new XElement(Maml + "name", parameter.Name),
            parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), TypeName(parameter.Type)),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type.FullName)));

    private static XElement ParameterEntry(HelpParameter parameter) =>
        new(Command + "parameter",
            ParameterAttributes(parameter, parameter.Attributes),
            new XElement(Maml + "name", parameter.Name),
            new XElement(Maml + "description", new XElement(Maml + "para", parameter.Description)),
            new XElement(Command + "parameterValue", new XAttribute("required", (!parameter.IsSwitch).ToString().ToLowerInvariant()), TypeName(parameter.Type)),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type.FullName)),
            new XElement(Dev + "defaultValue", parameter.DefaultValue ?? "None"));

    private static IEnumerable<XAttribute> ParameterAttributes(HelpParameter parameter, IReadOnlyList<ParameterAttribute> attributes) =>
    [
        new("required", attributes.Any(a => a.Mandatory).ToString().ToLowerInvariant()),
        new("globbing", "false"),
        new("pipelineInput", HelpParameter.PipelineInput(attributes)),
        new("position", HelpParameter.Position(attributes)),
        new("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
    ];

    /// <summary>One entry per type that binds from the pipeline, naming each parameter it binds to and how; None when nothing does.</summary>
    private IEnumerable<XElement> InputTypes(string cmdlet, IReadOnlyList<HelpParameter> parameters)
    {
        var piped = parameters.Where(p => p.TakesPipelineInput).ToList();
        if (piped.Count == 0)
        {
            return [TypeEntry("inputType", "None", [$"You cannot pipe objects to {cmdlet}."])];
        }

        return piped.GroupBy(p => p.Type).Select(group => TypeEntry("inputType", group.Key.FullName!, group.Select(InputDescription).ToList()));
    }

    private string InputDescription(HelpParameter parameter)
    {
        var byValue = parameter.Attributes.Any(a => a.ValueFromPipeline);
        var byName = parameter.Attributes.Any(a => a.ValueFromPipelineByPropertyName);
        var how = byValue && byName ? "by value and by property name" : byValue ? "by value" : "by property name";
        var text = $"-{parameter.Name}, {how}: {parameter.Description}";
        if (!byName || byValue)
        {
            return text;
        }

        // A parameter that binds only by property name is there to take other cmdlets' objects: name this module's that fit.
        var names = parameter.Aliases.Prepend(parameter.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sources = moduleOutputTypes.Where(t => t.GetProperties().Any(p => names.Contains(p.Name))).Select(t => t.Name).ToList();
        return sources.Count == 0 ? text
            : $"{text} It binds the {string.Join(" or ", names)} property of piped objects, such as {string.Join(", ", sources)}.";
    }

    private static int Depth(Type? type) => type is null ? 0 : 1 + Depth(type.BaseType);

    /// <summary>Each [OutputType], described by the type's own summary, or (for types that are not the module's) the cmdlet's &lt;returns&gt;.</summary>
    private IEnumerable<XElement> ReturnValues(string cmdlet, Type type, XElement? typeDoc)
    {
        var returns = DocComments.Paragraphs(typeDoc?.Element("returns"));
        foreach (var output in type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type))
        {
            var outputType = output.Type;
            var summary = outputType is null ? string.Empty : DocComments.Text(docs.Type(outputType)?.Element("summary"));
            var description = summary.Length > 0 ? [summary] : ForType(returns, output.Name);
            if (description.Count == 0)
            {
                Problems.Add($"{cmdlet} declares the output type {output.Name}, which has no <summary>: describe it in the cmdlet's <returns>.");
            }

            yield return TypeEntry("returnValue", outputType?.FullName ?? output.Name, description);
        }
    }

    // <returns><para>FileInfo: with -ScriptPath, ...</para></returns>: the paragraphs that start with the type's name describe it.
    private static List<string> ForType(List<string> returns, string typeName)
    {
        var prefix = typeName.Split('.')[^1] + ":";
        var own = returns.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return (own.Count > 0 ? own : returns).Select(p => p.StartsWith(prefix, StringComparison.Ordinal) ? Capitalized(p[prefix.Length..].Trim()) : p).ToList();
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static XElement TypeEntry(string element, string typeName, IReadOnlyList<string> paragraphs) =>
        new(Command + element,
            new XElement(Dev + "type", new XElement(Maml + "name", typeName)),
            new XElement(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p))));

    private static string TypeName(Type type) => type == typeof(SwitchParameter) ? "SwitchParameter" : type.Name;
}
