using System.Security.Cryptography;
using System.Text;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// One migration file, read once: its text with line endings normalised to LF, the SHA-256 of that
/// text (so Windows and Linux checkouts agree), and the directives on its first comment lines.
/// </summary>
public sealed class ScriptFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ScriptFile(string path, string text, string checksum, ScriptDirectives directives)
    {
        Path = path;
        Text = text;
        Checksum = checksum;
        Directives = directives;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    public string Text { get; }

    /// <summary>Lower-case hex SHA-256 of the LF-normalised UTF-8 text, without a byte order mark.</summary>
    public string Checksum { get; }

    public ScriptDirectives Directives { get; }

    public static ScriptFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, "FileUnreadable", $"cannot read {path}: {e.Message}");
        }

        var text = NormaliseLineEndings(Decode(path, bytes));
        return FromText(path, text);
    }

    /// <summary>Builds a script from text already in memory (tests, generated previews).</summary>
    public static ScriptFile FromText(string path, string text)
    {
        var normalised = NormaliseLineEndings(text);
        var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalised))).ToLowerInvariant();
        return new ScriptFile(path, normalised, checksum, ScriptDirectives.Parse(path, normalised));
    }

    public static string NormaliseLineEndings(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    private static string Decode(string path, byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return DecodeUtf8(path, bytes.AsSpan(3));
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var text = encoding.GetString(bytes, 2, bytes.Length - 2);
            RefuseNul(path, text);
            return text;
        }

        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            throw Invalid(path, "FileHasNulBytes",
                $"{path} contains NUL bytes: it is binary, or UTF-16 without a byte order mark. Save it as UTF-8.");
        }

        return DecodeUtf8(path, bytes);
    }

    private static string DecodeUtf8(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            RefuseNul(path, text);
            return text;
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(path, "FileNotUtf8", $"{path} is not valid UTF-8. Save it as UTF-8 (with or without a byte order mark).");
        }
    }

    private static void RefuseNul(string path, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(path, "FileHasNulBytes", $"{path} contains NUL characters. Remove them.");
        }
    }

    internal static MigrationException Invalid(string path, string errorId, string message) =>
        new(MigrationErrorKind.InvalidMigrationFile, errorId, message) { FilePath = path };
}
