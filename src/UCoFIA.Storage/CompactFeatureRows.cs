namespace UCoFIA.Storage;

/// <summary>
/// A segment's features in half precision, exactly as the halfvec columns hold them: half the memory of
/// <see cref="VideoFeatureRows"/>, nothing lost, for features kept in memory across queries.
/// </summary>
public sealed record CompactFeatureRows(Half[] Video, Half[] Frames, double[] FrameTimes, Half[] Patches, int[] PatchIndices)
{
    public long SizeInBytes => sizeof(ushort) * ((long)Video.Length + Frames.Length + Patches.Length)
        + sizeof(double) * (long)FrameTimes.Length + sizeof(int) * (long)PatchIndices.Length;

    public static CompactFeatureRows From(VideoFeatureRows rows) =>
        new(Vectors.Narrow(rows.Video), Vectors.Narrow(rows.Frames), rows.FrameTimes, Vectors.Narrow(rows.Patches), rows.PatchIndices);

    public VideoFeatureRows Widen() =>
        new(Vectors.Widen(Video), Vectors.Widen(Frames), FrameTimes, Vectors.Widen(Patches), PatchIndices);
}
