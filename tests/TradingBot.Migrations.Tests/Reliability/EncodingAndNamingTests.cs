using System.Text;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>Byte order marks, line endings and UTF-16 run and checksum like their LF twins; history table names are quoted.</summary>
[Collection(ReliabilityGroup.Name)]
public sealed class EncodingAndNamingTests : IDisposable
{
    private const string Script = "-- trades\nCREATE TABLE trades (id integer, note text);\nINSERT INTO trades VALUES (1, 'a;b');\n";
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public EncodingAndNamingTests() => session = new PowerShellSession(folder.Path);

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    public static TheoryData<string> Variants => ["bom", "crlf", "cr", "mixed", "utf16le-bom", "utf16be-bom", "bom-crlf"];

    private static byte[] Encode(string variant) => variant switch
    {
        "bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Script)],
        "crlf" => Encoding.UTF8.GetBytes(Script.Replace("\n", "\r\n", StringComparison.Ordinal)),
        "cr" => Encoding.UTF8.GetBytes(Script.Replace('\n', '\r')),
        "mixed" => Encoding.UTF8.GetBytes("-- trades\r\nCREATE TABLE trades (id integer, note text);\nINSERT INTO trades VALUES (1, 'a;b');\r"),
        "utf16le-bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Script)],
        "utf16be-bom" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Script)],
        "bom-crlf" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Script.Replace("\n", "\r\n", StringComparison.Ordinal))],
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_file_with_a_bom_other_line_endings_or_utf16_runs_and_checksums_like_its_LF_twin(string variant)
    {
        var twin = Path.Combine(folder.Path, "twin");
        var other = Path.Combine(folder.Path, "other");
        Directory.CreateDirectory(twin);
        Directory.CreateDirectory(other);
        File.WriteAllBytes(Path.Combine(twin, "1.0.1__trades.up.sql"), Encoding.UTF8.GetBytes(Script));
        File.WriteAllBytes(Path.Combine(other, "1.0.1__trades.up.sql"), Encode(variant));

        session.Run($"Invoke-Migration -Path '{twin}' -Database sqlite:twin.db").ThrowOnError();
        session.Run($"Invoke-Migration -Path '{other}' -Database sqlite:other.db").ThrowOnError();

        var twinChecksum = SqliteScalar(Path.Combine(folder.Path, "twin.db"), "SELECT checksum FROM schema_migrations");
        Assert.Equal(twinChecksum, SqliteScalar(Path.Combine(folder.Path, "other.db"), "SELECT checksum FROM schema_migrations"));
        Assert.Equal("a;b", SqliteScalar(Path.Combine(folder.Path, "other.db"), "SELECT note FROM trades"));
        // The twin's history says the variant is the same migration: status against the other folder is Applied.
        Assert.Equal("Applied", session.Run($"(Get-MigrationStatus -Path '{other}' -Database sqlite:twin.db).State").ThrowOnError().Output.Single().ToString());
    }

    [Theory]
    [InlineData("Weird_Case")]
    [InlineData("_migrations")]
    [InlineData("history2026")]
    public void A_valid_history_table_name_is_quoted_and_used_exactly(string table)
    {
        folder.Write("1.0.1__t.up.sql", "CREATE TABLE t (id integer);\n");

        session.Run($"Invoke-Migration -Database sqlite:named.db -HistoryTable {table}").ThrowOnError();

        var file = Path.Combine(folder.Path, "named.db");
        Assert.Equal(table, SqliteScalar(file, $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'"));
        Assert.Equal("1.0.1", SqliteScalar(file, $"SELECT version FROM \"{table}\""));
    }
}
