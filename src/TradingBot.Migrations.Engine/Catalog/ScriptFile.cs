using System.Security.Cryptography;
using System.Text;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Catalog;

/// <summary>
/// One migration file: its text with line endings normalised to LF, the SHA-256 of that text (so
/// Windows and Linux checkouts agree), and the directives on its first comment lines.
/// </summary>
/// <remarks>
/// The catalog keeps only what status needs (checksum and directives) and reads the text when a run,
/// a preview or the linter asks for it; text read then must still have the checksum the catalog saw,
/// so what runs is always what was checked. This keeps memory small with thousands of migrations.
/// </remarks>
public sealed class ScriptFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private string? text;
    private ScriptFingerprint? fingerprint;
    private (SqlDialect Dialect, IReadOnlyList<SqlStatement> Statements)? split;

    private ScriptFile(string path, string? text, ScriptFingerprint? fingerprint)
    {
        Path = path;
        this.text = text;
        this.fingerprint = fingerprint;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The LF-normalised text, read from disk on first use.</summary>
    public string Text => text ??= LoadText();

    /// <summary>Lower-case hex SHA-256 of the LF-normalised UTF-8 text, without a byte order mark.</summary>
    public string Checksum => Fingerprint.Checksum;

    public ScriptDirectives Directives => Fingerprint.Directives;

    /// <summary>The text split into statements for a dialect, kept: the planner checks them and the run executes them.</summary>
    public IReadOnlyList<SqlStatement> StatementsFor(SqlDialect dialect)
    {
        if (split is { } known && known.Dialect == dialect)
        {
            return known.Statements;
        }

        var statements = SqlStatementSplitter.Split(Text, dialect);
        split = (dialect, statements);
        return statements;
    }

    private ScriptFingerprint Fingerprint => fingerprint ??= ScriptFingerprintCache.Shared.Get(Path);

    /// <summary>Reads the file now: text, checksum and directives (a bad file fails here).</summary>
    public static ScriptFile Read(string path)
    {
        var text = ReadText(path);
        return new ScriptFile(path, text, ScriptFingerprint.Of(path, text));
    }

    /// <summary>Nothing is read until the script is used, or <see cref="EnsureFingerprint"/> is called.</summary>
    public static ScriptFile Deferred(string path) => new(path, null, null);

    /// <summary>Checksum and directives now (from the cache when the file is unchanged): a bad file fails here.</summary>
    public void EnsureFingerprint() => _ = Fingerprint;

    /// <summary>Builds a script from text already in memory (tests, generated previews).</summary>
    public static ScriptFile FromText(string path, string text)
    {
        var normalised = NormaliseLineEndings(text);
        return new ScriptFile(path, normalised, ScriptFingerprint.Of(path, normalised));
    }

    public static string NormaliseLineEndings(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    internal static string Hash(string normalisedText) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalisedText))).ToLowerInvariant();

    /// <summary>Reads, decodes and normalises a file; refuses what is not UTF-8 (or UTF-16 with a BOM) text.</summary>
    internal static string ReadText(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, MigrationErrors.FileUnreadable, $"cannot read {path}: {e.Message}");
        }

        return NormaliseLineEndings(Decode(path, bytes));
    }

    // The text a run is about to use must be the text status and the plan were computed from.
    private string LoadText()
    {
        var loaded = ReadText(Path);
        if (fingerprint is null)
        {
            fingerprint = ScriptFingerprint.Of(Path, loaded);
        }
        else if (!string.Equals(Hash(loaded), fingerprint.Checksum, StringComparison.Ordinal))
        {
            throw Invalid(Path, MigrationErrors.MigrationFileChanged,
                $"{Path} changed while this command was running (its checksum is not the one read at the start). Nothing was run from it; run the command again.");
        }

        return loaded;
    }

    private static string Decode(string path, byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return DecodeUtf8(path, bytes.AsSpan(3));
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var decoded = encoding.GetString(bytes, 2, bytes.Length - 2);
            RefuseNul(path, decoded);
            return decoded;
        }

        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            throw Invalid(path, MigrationErrors.FileHasNulBytes,
                $"{path} contains NUL bytes: it is binary, or UTF-16 without a byte order mark. Save it as UTF-8.");
        }

        return DecodeUtf8(path, bytes);
    }

    private static string DecodeUtf8(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            var decoded = StrictUtf8.GetString(bytes);
            RefuseNul(path, decoded);
            return decoded;
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(path, MigrationErrors.FileNotUtf8, $"{path} is not valid UTF-8. Save it as UTF-8 (with or without a byte order mark).");
        }
    }

    private static void RefuseNul(string path, string decoded)
    {
        if (decoded.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(path, MigrationErrors.FileHasNulBytes, $"{path} contains NUL characters. Remove them.");
        }
    }

    internal static MigrationException Invalid(string path, MigrationError error, string message) =>
        new(error, message) { FilePath = path };
}
