using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>
/// The binary COPY of frame, patch and thumbnail rows, shared by the one-video insert and the bulk loader so both
/// write exactly the same rows, and the shape check both run first.
/// </summary>
internal static class FeatureCopy
{
    /// <summary>Throws, naming the video, unless every array has one entry (or one D-vector) per frame and K per frame.</summary>
    public static void CheckShapes(Guid videoId, VideoFeatureRows features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var (f, d) = (features.FrameCount, features.Dim);
        var k = features.PatchesPerFrame;
        if (features.Frames.Length != f * d || features.PatchIndices.Length != f * k || features.Patches.Length != f * k * d)
        {
            throw new ArgumentException(
                $"Video {videoId}: with {f} frame times, D = {d} and K = {k}, Frames must hold F·D ({features.Frames.Length}), "
                + $"PatchIndices F·K ({features.PatchIndices.Length}) and Patches F·K·D ({features.Patches.Length}) values.", nameof(features));
        }
    }

    /// <summary>Runs <see cref="CheckShapes(Guid, VideoFeatureRows)"/> on every segment of the video.</summary>
    public static void CheckShapes(Guid videoId, IEnumerable<SegmentInsert> segments)
    {
        foreach (var segment in segments)
        {
            CheckShapes(videoId, segment.Features);
        }
    }

    /// <summary>The segment rows: window, first sample, vector and bias.</summary>
    public static async Task<long> SegmentsAsync(NpgsqlConnection connection, IEnumerable<(Guid VideoId, SegmentInsert Segment)> segments, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY video_segments (id, video_id, idx, start_s, end_s, first_sample, embedding, sk_bias, sk_fit) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (videoId, segment) in segments)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(segment.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(segment.Index, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(segment.Start, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(segment.End, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(segment.FirstSample, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(Vectors.ToHalf(segment.Features.Video), Vectors.HalfvecType, ct);
            await BiasAsync(copy, segment.Bias, ct);
        }
        return (long)await copy.CompleteAsync(ct);
    }

    public static async Task<long> FramesAsync(NpgsqlConnection connection, IEnumerable<(Guid VideoId, SegmentInsert Segment)> segments, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY video_frames (video_id, segment, idx, sample, t_s, embedding) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (videoId, segment) in segments)
        {
            var features = segment.Features;
            for (var f = 0; f < features.FrameCount; f++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(segment.Index, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(f, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(segment.FirstSample + f, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(features.FrameTimes[f], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(Vectors.ToHalf(features.Frame(f)), Vectors.HalfvecType, ct);
            }
        }
        return (long)await copy.CompleteAsync(ct);
    }

    public static async Task<long> PatchesAsync(NpgsqlConnection connection, IEnumerable<(Guid VideoId, SegmentInsert Segment)> segments, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY video_patches (video_id, segment, frame_idx, rank, patch_idx, embedding) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (videoId, segment) in segments)
        {
            var features = segment.Features;
            for (var f = 0; f < features.FrameCount; f++)
            {
                for (var k = 0; k < features.PatchesPerFrame; k++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(segment.Index, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(f, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(k, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(features.PatchIndices[f * features.PatchesPerFrame + k], NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(Vectors.ToHalf(features.Patch(f, k)), Vectors.HalfvecType, ct);
                }
            }
        }
        return (long)await copy.CompleteAsync(ct);
    }

    /// <summary>Every segment, the rows of all three tables in the order their foreign keys need.</summary>
    public static async Task<long> AllAsync(NpgsqlConnection connection, IReadOnlyList<(Guid VideoId, SegmentInsert Segment)> segments, CancellationToken ct) =>
        await SegmentsAsync(connection, segments, ct) + await FramesAsync(connection, segments, ct) + await PatchesAsync(connection, segments, ct);

    /// <summary>The JPEG of each sampled picture of the video, sample i at index i.</summary>
    public static async Task<long> ThumbnailsAsync(NpgsqlConnection connection, Guid videoId, IReadOnlyList<byte[]> jpegs, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync("COPY video_thumbnails (video_id, idx, jpeg) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < jpegs.Count; i++)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(jpegs[i], NpgsqlDbType.Bytea, ct);
        }
        return (long)await copy.CompleteAsync(ct);
    }

    /// <summary>The sk_bias column value: NULL for no bias, so galleries without a query bank store nothing.</summary>
    public static object BiasValue(SkBias bias) => bias == SkBias.None(bias.Fit) ? DBNull.Value : bias.Levels;

    /// <summary>Writes the sk_bias and sk_fit columns of a COPY row.</summary>
    public static async Task BiasAsync(NpgsqlBinaryImporter copy, SkBias bias, CancellationToken ct)
    {
        if (BiasValue(bias) is float[] levels)
        {
            await copy.WriteAsync(levels, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
        }
        await copy.WriteAsync(bias.Fit, NpgsqlDbType.Bigint, ct);
    }
}
