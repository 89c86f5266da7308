using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using HelpGenerator;

// usage: HelpGenerator <cmdlet assembly> <its XML doc file> <output MAML file>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HelpGenerator <cmdlet assembly> <xml doc file> <output maml>");
    return 2;
}

var assembly = Assembly.LoadFrom(Path.GetFullPath(args[0]));
var docs = new DocComments(XDocument.Load(args[1]));
var cmdletTypes = assembly.GetExportedTypes()
    .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
    .Where(c => c.Attribute is not null)
    .OrderBy(c => c.Attribute!.NounName).ThenBy(c => c.Attribute!.VerbName)
    .ToList();

// The module's own output types: INPUTS names them as the objects whose properties bind by property name.
var moduleOutputTypes = cmdletTypes.SelectMany(c => c.Type.GetCustomAttributes<OutputTypeAttribute>()).SelectMany(o => o.Type)
    .Select(t => t.Type).OfType<Type>().Where(t => t.Assembly == assembly).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

var writer = new MamlWriter(docs, moduleOutputTypes);
var commands = cmdletTypes.Select(c => writer.CommandHelp(c.Type, c.Attribute!)).ToList();
if (writer.Problems.Count > 0)
{
    foreach (var problem in writer.Problems)
    {
        Console.Error.WriteLine($"{args[1]}: error TBMHELP: {problem}");
    }

    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
MamlWriter.Document(commands).Save(args[2]);
Console.WriteLine($"HelpGenerator: {commands.Count} cmdlets -> {args[2]}");
return 0;
