using System.Text;

namespace TradingBot.Migrations.Engine.Tests.Support;

/// <summary>A throwaway migrations folder that tests write files into.</summary>
internal sealed class MigrationFolder : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public MigrationFolder()
    {
        Path = Directory.CreateTempSubdirectory("tbm-migrations-").FullName;
    }

    public string Path { get; }

    public string PathOf(string fileName) => System.IO.Path.Combine(Path, fileName);

    /// <summary>Writes a file as UTF-8 without a byte order mark, exactly as given.</summary>
    public MigrationFolder File(string fileName, string content)
    {
        System.IO.File.WriteAllText(PathOf(fileName), content, Utf8NoBom);
        return this;
    }

    public MigrationFolder Bytes(string fileName, byte[] content)
    {
        System.IO.File.WriteAllBytes(PathOf(fileName), content);
        return this;
    }

    /// <summary>Writes <c>version__name.up.sql</c> and, when given, <c>version__name.down.sql</c>.</summary>
    public MigrationFolder Sql(string version, string name, string up, string? down = null)
    {
        File($"{version}__{name}.up.sql", up);
        if (down is not null)
        {
            File($"{version}__{name}.down.sql", down);
        }

        return this;
    }

    /// <summary>A migration that creates table <paramref name="table"/> and whose down drops it.</summary>
    public MigrationFolder Table(string version, string table) =>
        Sql(version, "create_" + table, $"CREATE TABLE {table} (id integer PRIMARY KEY);\n", $"DROP TABLE {table};\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
