namespace UCoFIA.Model;

/// <summary>
/// GPT-2/CLIP's reversible byte → printable-character map (<c>bytes_to_unicode</c>): printable Latin-1 bytes map
/// to themselves, the others to U+0100 onwards in byte order, so BPE works on strings without whitespace or
/// control characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] byteToChar = BuildMap();

    /// <summary>The 256 symbols in CLIP's vocabulary order: printable bytes first, then the remapped ones.</summary>
    public static IReadOnlyList<char> Symbols { get; } = Enumerable.Range(0, 256).Where(IsPrintable)
        .Concat(Enumerable.Range(0, 256).Where(b => !IsPrintable(b))).Select(b => byteToChar[b]).ToArray();

    public static IReadOnlyDictionary<char, byte> CharToByte { get; } =
        Enumerable.Range(0, 256).ToDictionary(b => byteToChar[b], b => (byte)b);

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            chars[i] = byteToChar[bytes[i]];
        return new string(chars);
    }

    private static char[] BuildMap()
    {
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
            map[b] = IsPrintable(b) ? (char)b : (char)(256 + next++);
        return map;
    }

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
}
