using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UCoFIA.Cli.Client;

/// <summary>The HTTP calls <c>ucofia ingest</c>, <c>search</c> and <c>bench</c> make to a running UCoFIA.Service.</summary>
public sealed partial class ServiceClient(HttpClient http)
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly TimeSpan JobPoll = TimeSpan.FromMilliseconds(50);

    /// <param name="apiKey">sent as <see cref="ApiKeyHeader"/> when set</param>
    /// <param name="handler">the connection handler (tests put a stub service here)</param>
    public static HttpClient Create(string url, string? apiKey, HttpMessageHandler? handler = null)
    {
        // The trailing slash keeps a base path (http://host/prefix/) when the relative routes below are resolved.
        var http = new HttpClient(new RetryHandler(handler ?? new SocketsHttpHandler { MaxConnectionsPerServer = 64 }))
        {
            BaseAddress = new Uri(url.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromMinutes(30),
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        }
        return http;
    }

    /// <summary>Uploads one file with its captions and metadata and waits for its job; returns the video id, or throws with the job's error.</summary>
    public async Task<Guid> IngestAsync(string path, IReadOnlyList<string> captions, string? metadata, CancellationToken ct)
    {
        var upload = await UploadAsync(path, ct, captions, metadata);
        if (upload.JobId is { } job)
        {
            await WaitForJobAsync(job, ct);
        }
        return upload.VideoId;
    }

    /// <summary>
    /// Uploads a file to be ingested afresh and returns its job: when these bytes are already stored, that video
    /// is deleted and the file uploaded once more (the benchmark times ingestion, not the duplicate check).
    /// </summary>
    public async Task<Guid> UploadFreshAsync(string path, CancellationToken ct)
    {
        var upload = await UploadAsync(path, ct);
        if (upload.Duplicate)
        {
            using var _ = await http.DeleteAsync($"api/videos/{upload.VideoId}", ct);
            upload = await UploadAsync(path, ct);
        }
        return upload is { Duplicate: false, JobId: { } job } ? job
            : throw new InvalidOperationException($"{path} was still a duplicate after its video was deleted");
    }

    /// <summary>Polls the job until it succeeds; throws <see cref="JobFailedException"/> with its error when it fails or is canceled.</summary>
    public async Task WaitForJobAsync(Guid job, CancellationToken ct)
    {
        while (true)
        {
            var body = await ReadAsync<JobResponse>(await http.GetAsync($"api/jobs/{job}", ct), ct);
            switch (body.State)
            {
                case "succeeded":
                    return;
                case "failed" or "canceled":
                    throw new JobFailedException(job, body.State, body.Error);
            }
            await Task.Delay(JobPoll, ct);
        }
    }

    /// <summary>The response body of a text search, as the service wrote it.</summary>
    public async Task<JsonElement> SearchAsync(string text, int topK, CancellationToken ct) =>
        await ReadAsync<JsonElement>(await http.PostAsJsonAsync("api/search/videos", new { text, topK }, ct), ct);

    /// <summary>A text search with the benchmark's knobs, timed on the client.</summary>
    public async Task<SearchCall> SearchAsync(string text, int candidates, bool exhaustive, CancellationToken ct, int topK = 10)
    {
        var started = Stopwatch.GetTimestamp();
        var body = await ReadAsync<SearchResponse>(await http.PostAsJsonAsync("api/search/videos", new { text, topK, candidates, exhaustive }, ct), ct);
        var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new SearchCall(body.Results.Select(r => r.VideoId).ToList(), body.Timings, totalMs);
    }

    /// <summary>Sum and count of each labelled series of the Prometheus text at /metrics whose name starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyDictionary<string, double>> MetricsAsync(string prefix, CancellationToken ct)
    {
        var text = await http.GetStringAsync("metrics", ct);
        var values = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success || !match.Groups[1].Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var labels = string.Join(",", LabelPair().Matches(match.Groups[2].Value)
                .Where(m => m.Groups[1].Value is "stage" or "outcome")
                .Select(m => $"{m.Groups[1].Value}={m.Groups[2].Value}"));
            if (double.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[$"{match.Groups[1].Value}{{{labels}}}"] = value;
            }
        }
        return values;
    }

    public static double Delta(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after, string key) =>
        after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

    /// <summary>Posts the file; the answer names its job, except for bytes already stored and ingested.</summary>
    private async Task<UploadResponse> UploadAsync(string path, CancellationToken ct, IReadOnlyList<string>? captions = null, string? metadata = null)
    {
        using var form = new MultipartFormDataContent();
        // A seekable stream: the retry handler sends the form again from the start of the file.
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", Path.GetFileName(path));
        form.Add(new StringContent(Path.GetFileNameWithoutExtension(path)), "title");
        foreach (var caption in captions ?? [])
        {
            form.Add(new StringContent(caption), "captions");
        }
        if (metadata is not null)
        {
            form.Add(new StringContent(metadata), "metadata");
        }
        return await ReadAsync<UploadResponse>(await http.PostAsync("api/videos", form, ct), ct);
    }

    /// <summary>The body as <typeparamref name="T"/>; a failed call throws <see cref="ServiceProblemException"/> with the service's problem.</summary>
    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw ServiceProblemException.From(response, text);
            }
            return JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web)
                ?? throw new InvalidDataException($"{response.RequestMessage?.RequestUri} answered an empty body");
        }
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_]+)=\"([^\"]*)\"")]
    private static partial Regex LabelPair();

    private sealed record SearchResponse(List<Hit> Results, int Candidates, ServiceTimings Timings);

    private sealed record Hit(Guid VideoId);

    private sealed record UploadResponse(Guid? JobId, Guid VideoId, bool Duplicate);

    private sealed record JobResponse(Guid Id, string State, string? Error);
}

/// <summary>The stage timings the service reports with every search, in milliseconds.</summary>
public sealed record ServiceTimings(double EncodeMs, double RecallMs, double FetchMs, double RerankMs);

/// <param name="TotalMs">Client-side wall time of the HTTP call.</param>
public sealed record SearchCall(IReadOnlyList<Guid> Ids, ServiceTimings Timings, double TotalMs);
