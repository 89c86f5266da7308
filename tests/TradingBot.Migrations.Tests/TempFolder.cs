namespace TradingBot.Migrations.Tests;

/// <summary>A scratch folder with a migrations/ subfolder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("tbm-test-").FullName;
        Directory.CreateDirectory(Migrations);
    }

    public string Path { get; }

    public string Migrations => System.IO.Path.Combine(Path, "migrations");

    public string Write(string fileName, string content)
    {
        var path = System.IO.Path.Combine(Migrations, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that left a file open; the OS cleans temp.
        }
    }
}
