using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HelpGenerator;

/// <summary>The compiler's XML documentation file, read as help text: summaries, remarks paragraphs, examples.</summary>
internal sealed class DocComments(XDocument file)
{
    private readonly Dictionary<string, XElement> members =
        file.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);

    public XElement? Type(Type type) => members.GetValueOrDefault("T:" + type.FullName);

    public XElement? Property(System.Reflection.PropertyInfo property) =>
        members.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    public static string Text(XElement? element) =>
        element is null ? string.Empty : Regex.Replace(string.Concat(element.Nodes().Select(NodeText)), @"\s+", " ").Trim();

    public static List<string> Paragraphs(XElement? element)
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

    public static string Code(XElement? element)
    {
        if (element is null) return string.Empty;
        var lines = element.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string NodeText(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "c" or "code" } e => e.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } e => "-" + (string?)e.Attribute("name"),
        XElement { Name.LocalName: "see" } e => ((string?)e.Attribute("cref"))?.Split('.', ':').Last() ?? e.Value,
        XElement e => e.Value,
        _ => string.Empty,
    };
}
