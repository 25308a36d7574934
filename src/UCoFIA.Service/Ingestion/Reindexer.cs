using System.Diagnostics;
using Microsoft.Extensions.Options;
using UCoFIA.Media;
using UCoFIA.Model;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>What a reindex run is asked to do beyond its target (the model and segment settings it runs with).</summary>
/// <param name="Restart">Replace a reindex under way for another target, re-encoding every video.</param>
/// <param name="DropUnrecoverable">Delete the videos that have no original to re-encode from, so that the gallery can be rebound.</param>
public sealed record ReindexRequest(bool Restart = false, bool DropUnrecoverable = false);

/// <summary>One step of a reindex, for a progress display.</summary>
/// <param name="Stage"><c>videos</c>, <c>captions</c>, <c>refit</c> or <c>done</c>.</param>
/// <param name="Done">Items of the stage done, those of earlier runs included.</param>
/// <param name="Total">Items of the stage in all.</param>
/// <param name="Message">What happened, in words.</param>
/// <param name="Elapsed">Since the run started.</param>
/// <param name="Remaining">The time the stage still needs, estimated from this run's pace; null when unknown.</param>
public sealed record ReindexProgress(string Stage, long Done, long Total, string Message, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>A video the run left as it was, and why.</summary>
/// <param name="Unrecoverable">It has no original to re-encode from (never kept, or gone from disk); otherwise re-encoding it failed.</param>
public sealed record LeftVideo(Guid Id, string? Title, string Reason, bool Unrecoverable);

/// <summary>How a reindex run ended.</summary>
/// <param name="Finished">The gallery is bound to the target and no longer marked; false: it stays marked and a rerun resumes.</param>
/// <param name="ModelChanges">The target is another model than the gallery's: captions were re-encoded, and every video must be.</param>
/// <param name="Reencoded">Videos this run re-encoded.</param>
/// <param name="Resumed">Videos earlier runs had re-encoded.</param>
/// <param name="Segments">Segments this run wrote.</param>
/// <param name="Captions">Captions this run re-encoded.</param>
/// <param name="Left">Videos not re-encoded: kept with their old segments, deleted (<paramref name="Dropped"/>) or holding the rebind back.</param>
/// <param name="Dropped">The unrecoverable videos among <paramref name="Left"/> were deleted.</param>
public sealed record ReindexReport(
    ReindexTarget Target, bool Finished, bool ModelChanges, int Reencoded, long Resumed, long Segments, long Captions,
    IReadOnlyList<LeftVideo> Left, bool Dropped, TimeSpan Elapsed);

/// <summary>
/// Re-encodes a stored gallery from its kept originals for the model and segment settings this process runs with,
/// through the ingestion path itself (<see cref="VideoEncoder"/>, <see cref="FrameThumbnails"/>, the online
/// Sinkhorn–Knopp biases), so a re-encoded video has the rows a fresh upload would get. The gallery is marked for the
/// whole run (a service refuses to start meanwhile); each video's new rows replace its old ones in one transaction,
/// oldest video first, so an interruption loses nothing and a rerun resumes. For a new model the captions are encoded
/// again too. Both Sinkhorn–Knopp fits are then refitted on the new features and the gallery is bound to the target.
/// A video without an original keeps its features: with the same model that is harmless, and the run finishes; with
/// a new model the rebind waits until the user drops such videos (<see cref="ReindexRequest.DropUnrecoverable"/>).
/// </summary>
public sealed class Reindexer(
    SchemaMigrator migrator,
    ReindexRepository reindex,
    VideoRepository videos,
    ModelWorker worker,
    VideoEncoder encoder,
    SinkhornBias sinkhorn,
    CaptionSinkhornBias captionSinkhorn,
    OriginalStore originals,
    IOptions<ModelOptions> modelOptions,
    IOptions<IngestOptions> ingestOptions)
{
    /// <summary>Captions encoded and committed together.</summary>
    private const int CaptionBatch = 256;

    /// <summary>How long a service that has just been stopped may still show connected while its connections close.</summary>
    private static readonly TimeSpan ServiceStopGrace = TimeSpan.FromSeconds(3);

    /// <exception cref="ReindexException">The model folder is unusable, a service is running, or another target is under way.</exception>
    public async Task<ReindexReport> RunAsync(ReindexRequest request, Action<ReindexProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(progress);
        var target = await PrepareAsync(cancellationToken);
        var state = await reindex.BeginAsync(target, request.Restart, cancellationToken);
        run.Report("videos", state.VideosDone, state.Videos, state.VideosDone > 0
            ? $"resuming the reindex for {target.Describe()}: {state.VideosDone} of {state.Videos} videos were re-encoded by an earlier run"
            : $"re-encoding {state.Videos} videos for {target.Describe()}");
        var (reencoded, segments, left) = await VideosAsync(state, run, cancellationToken);
        var captions = state.ModelChanges ? await CaptionsAsync(state, run, cancellationToken) : 0;

        var unrecoverable = left.Where(v => v.Unrecoverable).ToList();
        var finished = unrecoverable.Count == left.Count && (!state.ModelChanges || unrecoverable.Count == 0 || request.DropUnrecoverable);
        ReindexReport Report(bool dropped) => new(target, finished, state.ModelChanges, reencoded, state.VideosDone, segments, captions, left, dropped, run.Elapsed);
        if (!finished)
        {
            return Report(dropped: false);
        }
        if (request.DropUnrecoverable)
        {
            foreach (var video in unrecoverable)
            {
                await videos.DeleteAsync(video.Id, cancellationToken);
            }
        }
        await RefitAsync(run, cancellationToken);
        await reindex.FinishAsync(target, everyVideo: state.ModelChanges, cancellationToken);
        run.Report("done", 1, 1, $"the gallery is bound to {target.Describe()}");
        return Report(dropped: request.DropUnrecoverable && unrecoverable.Count > 0);
    }

    /// <summary>Checks everything that can be checked before the gallery is marked, and names the target.</summary>
    private async Task<ReindexTarget> PrepareAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(modelOptions.Value.Path);
        if (!File.Exists(Path.Combine(folder, UCoFIAModel.ConfigFile)))
        {
            throw new ReindexException(
                $"{folder} is not a model folder: it has no {UCoFIAModel.ConfigFile} (a model folder holds {UCoFIAModel.ConfigFile}, " +
                $"the weights as {UCoFIAModel.WeightsFile}, {UCoFIAModel.VocabFile} and {UCoFIAModel.MergesFile}).");
        }
        UCoFIAModel model;
        try
        {
            model = await worker.Model.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ReindexException($"The model in {folder} does not load: {e.Message}", e);
        }
        await EnsureNoServiceAsync(cancellationToken);
        try
        {
            await migrator.MigrateAsync(model.Config.ProjectionDim, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new ReindexException($"{e.Message} A reindex keeps the database, whose vector columns have a fixed dimension.", e);
        }
        var ingest = ingestOptions.Value;
        return new ReindexTarget(ModelFingerprint.Of(folder), folder, ingest.SegmentSeconds, ingest.SegmentStrideSeconds);
    }

    /// <summary>A running service would go on serving and adding videos in the old encoding while the gallery changes under it.</summary>
    private async Task EnsureNoServiceAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        long connections;
        while ((connections = await reindex.ServiceConnectionsAsync(cancellationToken)) > 0 && deadline.Elapsed < ServiceStopGrace)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        if (connections > 0)
        {
            throw new ReindexException(
                $"A UCoFIA service is running on this database ({connections} connections named '{DataSourceFactory.ServiceApplicationName}' " +
                "in pg_stat_activity). Stop it first: it would go on serving and adding videos in the old encoding while the gallery " +
                "is re-encoded. A service started while the reindex runs refuses to start.");
        }
    }

    private async Task<(int Reencoded, long Segments, List<LeftVideo> Left)> VideosAsync(ReindexState state, Run run, CancellationToken cancellationToken)
    {
        var left = new List<LeftVideo>();
        var attempted = new HashSet<Guid>();
        var (reencoded, segments) = (0, 0L);
        var (handled, total) = (state.VideosDone, state.VideosDone);
        var pace = new Pace();
        // A second pass finds only videos added while the first ran (by a service started despite the mark's check).
        while ((await reindex.PendingVideosAsync(cancellationToken)).Where(v => !attempted.Contains(v.Id)).ToList() is { Count: > 0 } pending)
        {
            total += pending.Count;
            var (videosLeft, secondsLeft) = (pending.Count, pending.Sum(v => v.DurationSeconds));
            foreach (var video in pending)
            {
                attempted.Add(video.Id);
                var took = Stopwatch.StartNew();
                var (count, why) = await ReencodeAsync(video, cancellationToken);
                var name = video.Title is null ? $"video {video.Id}" : $"video {video.Id} \"{video.Title}\"";
                string message;
                if (why is null)
                {
                    (reencoded, segments) = (reencoded + 1, segments + count);
                    message = $"{name}: {video.Segments} → {count} segments";
                    pace.Add(video.DurationSeconds, took.Elapsed);
                }
                else
                {
                    left.Add(why);
                    message = $"{name}: not re-encoded, {why.Reason}";
                }
                (videosLeft, secondsLeft) = (videosLeft - 1, secondsLeft - video.DurationSeconds);
                run.Report("videos", ++handled, total, message, pace.Remaining(videosLeft, secondsLeft));
            }
        }
        return (reencoded, segments, left);
    }

    /// <returns>The new segment count, or the video as it was left and why.</returns>
    private async Task<(int Segments, LeftVideo? Left)> ReencodeAsync(ReindexVideo video, CancellationToken cancellationToken)
    {
        var path = originals.PathOf(video.Id);
        if (!video.HasOriginal)
        {
            return (0, new LeftVideo(video.Id, video.Title,
                "its original was not kept (Storage:KeepOriginals was off, or Storage:OriginalsBudgetBytes full, when it was uploaded)", Unrecoverable: true));
        }
        if (!File.Exists(path))
        {
            return (0, new LeftVideo(video.Id, video.Title, $"its original is missing on disk (expected at {path}; is Storage:DataDirectory right?)", Unrecoverable: true));
        }
        try
        {
            var probe = await encoder.ProbeAsync(path, cancellationToken);
            var encoded = await encoder.EncodeAsync(path, probe, cancellationToken);
            if (encoded.Segments.Count == 0)
            {
                return (0, new LeftVideo(video.Id, video.Title, "re-encoding failed: no frame could be decoded", Unrecoverable: false));
            }
            var ids = encoded.NewSegmentIds();
            await sinkhorn.WriteAsync(encoded.SegmentFeatures,
                biases => reindex.ReplaceVideoAsync(video.Id, encoded.SampleCount, encoded.ToInserts(ids, biases), encoded.Thumbnails, cancellationToken),
                cancellationToken);
            return (encoded.Segments.Count, null);
        }
        catch (Exception e) when (e is MediaException or DomainException)
        {
            return (0, new LeftVideo(video.Id, video.Title, $"re-encoding failed: {e.Message}", Unrecoverable: false));
        }
    }

    /// <summary>Encodes every caption's text again with the new model, a batch per transaction.</summary>
    private async Task<long> CaptionsAsync(ReindexState state, Run run, CancellationToken cancellationToken)
    {
        var (done, reencoded, started) = (state.CaptionsDone, 0L, run.Elapsed);
        IReadOnlyList<ReindexCaption> batch;
        while ((batch = await reindex.PendingCaptionsAsync(CaptionBatch, cancellationToken)).Count > 0)
        {
            var encoded = await worker.EncodeTextsAsync(batch.Select(c => c.Text).ToList(), cancellationToken, WorkLane.Background);
            await captionSinkhorn.WriteAsync(encoded, biases => reindex.ReplaceCaptionsAsync(
                encoded.Select((e, i) => CaptionGallery.ToInsert(e, batch[i].Id, batch[i].VideoId, biases[i])).ToList(), cancellationToken), cancellationToken);
            (done, reencoded) = (done + batch.Count, reencoded + batch.Count);
            run.Report("captions", done, state.CaptionCount, $"{batch.Count} captions re-encoded",
                Estimate(run.Elapsed - started, reencoded, Math.Max(0, state.CaptionCount - done)));
        }
        return reencoded;
    }

    /// <summary>Both fits, on the new features: the scaling fitted on the old ones means nothing for them.</summary>
    private async Task RefitAsync(Run run, CancellationToken cancellationToken)
    {
        run.Report("refit", 0, 2, "refitting Sinkhorn–Knopp on the new features");
        var segments = await sinkhorn.RefitAsync(cancellationToken);
        var captions = await captionSinkhorn.RefitAsync(cancellationToken);
        run.Report("refit", 2, 2,
            (segments is { } s ? $"text → video refitted on {s} segments" : $"text → video not refitted (no {SinkhornBias.BankFile} beside the model, or under two segments)") + "; " +
            (captions is { } c ? $"video → text refitted on {c} captions" : "video → text not refitted (under two captions or segments)"));
    }

    private static TimeSpan? Estimate(TimeSpan spent, double workDone, double workLeft) =>
        workDone > 0 ? spent * (workLeft / workDone) : null;

    /// <summary>
    /// This run's pace: a video takes a fixed time (probe, decoder start, its transaction) plus a time per second of
    /// video (decoding, its segments through the model), fitted by least squares on the videos re-encoded so far, so that
    /// neither a gallery of short clips nor one of long films skews the estimate.
    /// </summary>
    private sealed class Pace
    {
        private double _n, _x, _y, _xx, _xy;

        public void Add(double seconds, TimeSpan took)
        {
            var y = took.TotalSeconds;
            (_n, _x, _y, _xx, _xy) = (_n + 1, _x + seconds, _y + y, _xx + seconds * seconds, _xy + seconds * y);
        }

        /// <returns>What <paramref name="videos"/> videos lasting <paramref name="seconds"/> in all still need; null before the first one is done.</returns>
        public TimeSpan? Remaining(int videos, double seconds)
        {
            if (_n == 0)
            {
                return null;
            }
            // Until videos of two lengths are done the two parts cannot be told apart: all of it counts per video.
            var spread = _n * _xx - _x * _x;
            var perSecond = spread > 1e-9 ? Math.Max(0, (_n * _xy - _x * _y) / spread) : 0;
            var perVideo = Math.Max(0, (_y - perSecond * _x) / _n);
            return TimeSpan.FromSeconds(perVideo * videos + perSecond * seconds);
        }
    }

    private sealed class Run(Action<ReindexProgress> progress)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public TimeSpan Elapsed => _clock.Elapsed;

        public void Report(string stage, long done, long total, string message, TimeSpan? remaining = null) =>
            progress(new ReindexProgress(stage, done, total, message, _clock.Elapsed, remaining));
    }
}
