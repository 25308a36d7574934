using Npgsql;

namespace UCoFIA.Storage;

/// <summary>What changed in a gallery, as one instance tells the others (and itself).</summary>
/// <param name="Video">The video that was deleted or re-encoded; null for a change of Sinkhorn–Knopp state.</param>
/// <param name="Fit">The gallery whose fit or biases changed; null for a video change.</param>
public sealed record GalleryChange(Guid? Video, SkGallery? Fit)
{
    /// <summary>Nothing is known about what was missed (the listening connection was lost): forget everything.</summary>
    public bool Everything => Video is null && Fit is null;
}

/// <summary>
/// Tells every service instance on the database what changed, so that their in-memory copies (candidate features,
/// the Sinkhorn–Knopp fit) follow: PostgreSQL's NOTIFY, sent inside the writer's transaction so it arrives only if
/// the change commits, and LISTEN on one connection per instance. The same statement notes the write for the read
/// replicas (<see cref="SearchConnections"/>), so an instance that empties its cache on the notification refills it
/// only from a standby that has the change.
/// </summary>
public sealed class GalleryChanges(NpgsqlDataSource dataSource)
{
    public const string Channel = "ucofia_gallery";

    private const string VideoPrefix = "video:";
    private const string FitPrefix = "fit:";

    internal static Task VideoChangedAsync(NpgsqlConnection connection, Guid video, CancellationToken ct) =>
        NotifyAsync(connection, VideoPrefix + video.ToString("N"), ct);

    internal static Task FitChangedAsync(NpgsqlConnection connection, SkGallery gallery, CancellationToken ct) =>
        NotifyAsync(connection, FitPrefix + gallery, ct);

    /// <summary>
    /// Listens until <paramref name="ct"/>, calling <paramref name="onChange"/> for every committed change. After a
    /// lost connection it reconnects and reports <see cref="GalleryChange.Everything"/>, since changes may have
    /// been missed meanwhile.
    /// </summary>
    /// <param name="onError">Told about each lost connection before the retry.</param>
    public async Task ListenAsync(Action<GalleryChange> onChange, Action<Exception> onError, CancellationToken ct)
    {
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, e) => onChange(Parse(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                if (!first)
                {
                    onChange(new GalleryChange(null, null));
                }
                first = false;
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                onError(e);
                first = false;
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static GalleryChange Parse(string payload) =>
        payload.StartsWith(VideoPrefix, StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(VideoPrefix.Length), out var video)
            ? new GalleryChange(video, null)
            : payload.StartsWith(FitPrefix, StringComparison.Ordinal) && Enum.TryParse<SkGallery>(payload.AsSpan(FitPrefix.Length), out var gallery)
                ? new GalleryChange(null, gallery)
                : new GalleryChange(null, null);

    private static async Task NotifyAsync(NpgsqlConnection connection, string payload, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload), note_gallery_write()", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync(ct);
    }
}
