using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>
/// The binary COPY of frame and patch rows, shared by the one-video insert and the bulk loader so both write
/// exactly the same rows, and the shape check both run first.
/// </summary>
internal static class FeatureCopy
{
    /// <summary>Throws, naming the video and frame, unless every per-frame array has one entry per frame.</summary>
    public static void CheckShapes(Guid videoId, VideoFeatureRows features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var frames = features.Frames.Length;
        if (features.FrameTimes.Length != frames || features.Patches.Length != frames || features.PatchIndices.Length != frames)
        {
            throw new ArgumentException(
                $"Video {videoId}: Frames ({frames}), FrameTimes ({features.FrameTimes.Length}), Patches ({features.Patches.Length}) " +
                $"and PatchIndices ({features.PatchIndices.Length}) must have one entry per frame.", nameof(features));
        }
        for (var f = 0; f < frames; f++)
        {
            if (features.Patches[f].Length != features.PatchIndices[f].Length)
            {
                throw new ArgumentException(
                    $"Video {videoId}, frame {f}: {features.Patches[f].Length} patch vectors but {features.PatchIndices[f].Length} patch indices.", nameof(features));
            }
        }
    }

    public static async Task<long> FramesAsync(NpgsqlConnection connection, IEnumerable<(Guid Id, VideoFeatureRows Features)> videos, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY video_frames (video_id, idx, t_s, embedding) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (id, features) in videos)
        {
            for (var f = 0; f < features.Frames.Length; f++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(f, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(features.FrameTimes[f], NpgsqlDbType.Double, ct);
                await copy.WriteAsync(Vectors.ToHalf(features.Frames[f]), Vectors.HalfvecType, ct);
            }
        }
        return (long)await copy.CompleteAsync(ct);
    }

    public static async Task<long> PatchesAsync(NpgsqlConnection connection, IEnumerable<(Guid Id, VideoFeatureRows Features)> videos, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY video_patches (video_id, frame_idx, rank, patch_idx, embedding) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (id, features) in videos)
        {
            for (var f = 0; f < features.Patches.Length; f++)
            {
                for (var k = 0; k < features.Patches[f].Length; k++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(f, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(k, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(features.PatchIndices[f][k], NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(Vectors.ToHalf(features.Patches[f][k]), Vectors.HalfvecType, ct);
                }
            }
        }
        return (long)await copy.CompleteAsync(ct);
    }
}
