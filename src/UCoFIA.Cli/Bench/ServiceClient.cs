using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace UCoFIA.Cli.Bench;

/// <summary>The few service routes the benchmark uses, over plain HTTP.</summary>
public sealed partial class ServiceClient(HttpClient http)
{
    public async Task<SearchCall> SearchAsync(string text, int candidates, bool exhaustive, CancellationToken ct, int topK = 10)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsJsonAsync("api/search/videos", new { text, topK, candidates, exhaustive }, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"search answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        var body = await response.Content.ReadFromJsonAsync<SearchResponse>(ct) ?? throw new InvalidDataException("empty search response");
        var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new SearchCall(body.Results.Select(r => r.VideoId).ToList(), body.Timings, totalMs);
    }

    /// <summary>Uploads an MP4; returns the job to poll, or null when these bytes are already stored (then deletes that video and retries once).</summary>
    public async Task<Guid> UploadAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path, ct));
            file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(file, "file", Path.GetFileName(path));
            form.Add(new StringContent(Path.GetFileNameWithoutExtension(path)), "title");
            using var response = await http.PostAsync("api/videos", form, ct);
            var accepted = await response.Content.ReadFromJsonAsync<UploadResponse>(ct);
            if (response.StatusCode == HttpStatusCode.Accepted && accepted?.JobId is { } job)
            {
                return job;
            }
            if (response.StatusCode == HttpStatusCode.OK && accepted is not null && attempt == 0)
            {
                // Same bytes as an earlier run: remove that video so this upload is ingested afresh.
                using var _ = await http.DeleteAsync($"api/videos/{accepted.VideoId}", ct);
                continue;
            }
            throw new HttpRequestException($"upload of {path} answered {(int)response.StatusCode}");
        }
    }

    public async Task<string> JobStateAsync(Guid job, CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JobResponse>($"api/jobs/{job}", ct) ?? throw new InvalidDataException("empty job response");
        return body.State == "failed" ? throw new InvalidOperationException($"job {job} failed: {body.Error}") : body.State;
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
