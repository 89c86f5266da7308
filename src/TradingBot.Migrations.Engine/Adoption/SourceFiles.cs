using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Catalog;

namespace TradingBot.Migrations.Engine.Adoption;

/// <summary>What every tool's conversion shares: reading its files, naming and checking the converted ones, refusing with file and line.</summary>
internal static partial class SourceFiles
{
    /// <summary>The files of the tool's folder (and its subfolders when the tool reads those), in ordinal path order.</summary>
    public static IReadOnlyList<string> List(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder))
        {
            throw new MigrationException(MigrationErrors.SourceFolderNotFound, $"The other tool's migrations folder {folder} does not exist.")
            {
                FilePath = folder,
            };
        }

        return Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The file's text, decoded and with LF line endings, as this module reads its own files.</summary>
    public static string Read(string path) => ScriptFile.ReadText(path);

    /// <summary>A version this module can take, or refused with the file.</summary>
    public static MigrationVersion Version(string path, string text)
    {
        if (!MigrationVersion.TryParse(text, out var version, out var problem))
        {
            throw Unconvertible(path, null, $"its version {problem}");
        }

        return version;
    }

    /// <summary>
    /// The other tool's description as a name this module accepts: runs of anything but letters and digits become one '_'
    /// (the name is a label; the version identifies the migration).
    /// </summary>
    public static string Name(string path, string description)
    {
        var name = NotNameCharacters().Replace(description, "_").Trim('_');
        return name.Length > 0 ? name : throw Unconvertible(path, null, "it has no name after its version");
    }

    /// <summary>
    /// A converted script: this module's transaction directive first where the tool ran it outside a transaction, then the
    /// tool's SQL as it was. Refused when a comment at its top would read as another directive of this module.
    /// </summary>
    /// <param name="firstBodyLine">The line of the source file where <paramref name="body"/> starts, for errors.</param>
    public static ConvertedFile Script(string sourcePath, string fileName, string body, bool inTransaction, int firstBodyLine)
    {
        var header = inTransaction ? string.Empty : "-- transaction: none\n";
        var text = header + body.TrimEnd('\n', ' ', '\t') + "\n";
        var offset = firstBodyLine - (inTransaction ? 1 : 2);
        ScriptDirectives directives;
        try
        {
            directives = ScriptDirectives.Parse(sourcePath, text);
        }
        catch (MigrationException e) when (e.Line is { } line)
        {
            throw Unconvertible(sourcePath, line + offset, "a comment at the top of the script reads as this module's directive with a value it refuses; move it below the first statement");
        }

        if (directives != new ScriptDirectives(inTransaction, null, null))
        {
            throw Unconvertible(sourcePath, firstBodyLine,
                "a comment at the top of the script reads as this module's directive (transaction, lock_timeout or statement_timeout), which the other tool ignored; move it below the first statement");
        }

        return new ConvertedFile(fileName, text);
    }

    /// <summary>Whether a script holds anything but blank lines and comments.</summary>
    public static bool HasSql(string text) => text.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal));

    /// <summary>The 1-based line of a character position.</summary>
    public static int LineAt(string text, int index) => text.AsSpan(0, Math.Min(index, text.Length)).Count('\n') + 1;

    /// <summary>Refuses versions that collide in this module's order (1 and 01), or that the tool orders differently from this module.</summary>
    public static void CheckOrder(IReadOnlyList<ImportedMigration> inToolOrder, string toolName)
    {
        for (var i = 1; i < inToolOrder.Count; i++)
        {
            var (before, after) = (inToolOrder[i - 1], inToolOrder[i]);
            if (before.Version == after.Version)
            {
                throw Unconvertible(after.SourceFile, null, $"its version {after.Version} is the same number as {before.SourceFile}'s ({before.Version}), and this module compares versions as numbers");
            }

            if (before.Version > after.Version)
            {
                throw Unconvertible(after.SourceFile, null,
                    $"{toolName} runs it after {before.SourceFile}, but this module orders version {after.Version} before {before.Version}; rename one of them in {toolName} first");
            }
        }
    }

    public static MigrationException Unconvertible(string path, int? line, string why) =>
        new(MigrationErrors.UnconvertibleMigration,
            $"{path}{(line is null ? string.Empty : ":" + line)}: cannot be converted faithfully: {why}. Nothing was imported.")
        {
            FilePath = path,
            Line = line,
        };

    [GeneratedRegex(@"[^A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotNameCharacters();
}
