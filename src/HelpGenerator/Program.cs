using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

// usage: HelpGenerator <cmdlet assembly> <its XML doc file> <output MAML file>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HelpGenerator <cmdlet assembly> <xml doc file> <output maml>");
    return 2;
}

var assembly = Assembly.LoadFrom(Path.GetFullPath(args[0]));
var docs = XDocument.Load(args[1]).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);
var problems = new List<string>();
XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";

var cmdlets = assembly.GetExportedTypes()
    .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
    .Where(c => c.Attribute is not null)
    .OrderBy(c => c.Attribute!.NounName).ThenBy(c => c.Attribute!.VerbName)
    .Select(c => CommandHelp(c.Type, c.Attribute!))
    .ToList();

if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"{args[1]}: error TBMHELP: {problem}");
    }

    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
new XDocument(new XElement("helpItems", new XAttribute("schema", "maml"), new XAttribute(XNamespace.Xmlns + "maml", maml),
    new XAttribute(XNamespace.Xmlns + "command", command), new XAttribute(XNamespace.Xmlns + "dev", dev), cmdlets)).Save(args[2]);
Console.WriteLine($"HelpGenerator: {cmdlets.Count} cmdlets -> {args[2]}");
return 0;

XElement CommandHelp(Type type, CmdletAttribute attribute)
{
    var name = $"{attribute.VerbName}-{attribute.NounName}";
    var typeDoc = docs.GetValueOrDefault("T:" + type.FullName);
    var synopsis = Text(typeDoc?.Element("summary"));
    var description = Paragraphs(typeDoc?.Element("remarks"));
    var examples = typeDoc?.Elements("example").ToList() ?? [];
    if (synopsis.Length == 0) problems.Add($"{name} has no <summary> (its synopsis).");
    if (description.Count == 0) problems.Add($"{name} has no <remarks> (its description).");
    if (examples.Count < 2) problems.Add($"{name} has {examples.Count} <example>; write at least two.");

    var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Property: p, Attributes: p.GetCustomAttributes<ParameterAttribute>().ToList()))
        .Where(p => p.Attributes.Count > 0)
        .ToList();
    var parameterHelp = parameters.Select(p => ParameterHelp(name, p.Property, p.Attributes, null)).ToList();
    var sets = parameters.SelectMany(p => p.Attributes.Select(a => a.ParameterSetName))
        .Where(s => s != ParameterAttribute.AllParameterSets).Distinct().DefaultIfEmpty(ParameterAttribute.AllParameterSets).ToList();
    var syntax = sets.Select(set => new XElement(command + "syntaxItem", new XElement(maml + "name", name),
        parameters.Where(p => p.Attributes.Any(a => a.ParameterSetName == set || a.ParameterSetName == ParameterAttribute.AllParameterSets))
            .Select(p => ParameterHelp(name, p.Property, p.Attributes, set))));

    return new XElement(command + "command",
        new XElement(command + "details",
            new XElement(command + "name", name),
            new XElement(maml + "description", new XElement(maml + "para", synopsis)),
            new XElement(command + "verb", attribute.VerbName),
            new XElement(command + "noun", attribute.NounName)),
        new XElement(maml + "description", description.Select(p => new XElement(maml + "para", p))),
        new XElement(command + "syntax", syntax),
        new XElement(command + "parameters", parameterHelp),
        new XElement(command + "returnValues", type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t =>
            new XElement(command + "returnValue", new XElement(dev + "type", new XElement(maml + "name", t.Name))))),
        new XElement(command + "examples", examples.Select((e, i) => new XElement(command + "example",
            new XElement(maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(dev + "code", Code(e.Element("code"))),
            new XElement(dev + "remarks", Paragraphs(e).Select(p => new XElement(maml + "para", p)))))));
}

XElement ParameterHelp(string cmdlet, PropertyInfo property, List<ParameterAttribute> attributes, string? set)
{
    var doc = docs.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");
    var text = Text(doc?.Element("summary"));
    if (set is null && text.Length == 0) problems.Add($"{cmdlet} -{property.Name} has no <summary> (its description).");
    var relevant = set is null ? attributes : attributes.Where(a => a.ParameterSetName == set || a.ParameterSetName == ParameterAttribute.AllParameterSets).ToList();
    var byValue = relevant.Any(a => a.ValueFromPipeline);
    var byName = relevant.Any(a => a.ValueFromPipelineByPropertyName);
    var position = relevant.Select(a => a.Position).FirstOrDefault(p => p >= 0, int.MinValue);
    var typeName = property.PropertyType == typeof(SwitchParameter) ? "SwitchParameter" : property.PropertyType.Name;
    return new XElement(command + "parameter",
        new XAttribute("required", relevant.Any(a => a.Mandatory).ToString().ToLowerInvariant()),
        new XAttribute("globbing", "false"),
        new XAttribute("pipelineInput", byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False"),
        new XAttribute("position", position == int.MinValue ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new XElement(maml + "name", property.Name),
        new XElement(maml + "description", new XElement(maml + "para", text)),
        new XElement(command + "parameterValue", new XAttribute("required", (property.PropertyType != typeof(SwitchParameter)).ToString().ToLowerInvariant()), typeName),
        new XElement(dev + "type", new XElement(maml + "name", property.PropertyType.FullName)),
        new XElement(dev + "defaultValue", "None"));
}

static string Text(XElement? element) =>
    element is null ? string.Empty : Regex.Replace(string.Concat(element.Nodes().Select(NodeText)), @"\s+", " ").Trim();

static List<string> Paragraphs(XElement? element)
{
    if (element is null) return [];
    var paragraphs = element.Elements("para").Select(p => Text(p)).Where(p => p.Length > 0).ToList();
    if (paragraphs.Count == 0 && element.Name != "example")
    {
        var text = Text(element);
        if (text.Length > 0) paragraphs.Add(text);
    }

    return paragraphs;
}

static string NodeText(XNode node) => node switch
{
    XText text => text.Value,
    XElement { Name.LocalName: "c" or "code" } e => e.Value,
    XElement { Name.LocalName: "paramref" or "typeparamref" } e => "-" + (string?)e.Attribute("name"),
    XElement { Name.LocalName: "see" } e => ((string?)e.Attribute("cref"))?.Split('.', ':').Last() ?? e.Value,
    XElement e => e.Value,
    _ => string.Empty,
};

static string Code(XElement? element)
{
    if (element is null) return string.Empty;
    var lines = element.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
    while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
    while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
    var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
    return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
}
