namespace UCoFIA.Media;

/// <summary>
/// Recognises common video container signatures from a file's first bytes. ffprobe picks its demuxer
/// from the file extension when the content is unknown, so its error for a text file named .mp4 is the
/// same as for a truncated MP4; the signature tells "not a video" apart from "a broken video".
/// </summary>
internal static class ContainerSniffer
{
    // Long enough to see a second MPEG-TS packet, whose sync byte sits 188 bytes after the first.
    private const int HeaderLength = 189;

    private static readonly byte[][] IsoBoxTypes = ["ftyp"u8.ToArray(), "moov"u8.ToArray(), "mdat"u8.ToArray(), "free"u8.ToArray(), "skip"u8.ToArray(), "wide"u8.ToArray()];

    public static async Task<bool> LooksLikeVideoContainerAsync(string path, CancellationToken ct)
    {
        var header = new byte[HeaderLength];
        await using var stream = File.OpenRead(path);
        var length = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, ct);
        return LooksLikeVideoContainer(header.AsSpan(0, length));
    }

    private static bool LooksLikeVideoContainer(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4)
        {
            return false;
        }

        return IsIsoMedia(header)
            || header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]) // Matroska / WebM (EBML)
            || header.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0xBA]) // MPEG program stream
            || header.StartsWith((ReadOnlySpan<byte>)[0x30, 0x26, 0xB2, 0x75]) // ASF / WMV
            || header.StartsWith("FLV"u8)
            || header.StartsWith("OggS"u8)
            || (header.StartsWith("RIFF"u8) && header.Length >= 12 && header[8..12].SequenceEqual("AVI "u8))
            || (header.Length > 188 && header[0] == 0x47 && header[188] == 0x47); // MPEG transport stream sync bytes
    }

    // MP4, MOV, 3GP: a box size followed by a four-character box type.
    private static bool IsIsoMedia(ReadOnlySpan<byte> header)
    {
        if (header.Length < 8)
        {
            return false;
        }

        foreach (var boxType in IsoBoxTypes)
        {
            if (header[4..8].SequenceEqual(boxType))
            {
                return true;
            }
        }

        return false;
    }
}
