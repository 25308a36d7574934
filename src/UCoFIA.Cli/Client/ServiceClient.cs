using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace UCoFIA.Cli.Client;

/// <summary>The few HTTP calls the CLI makes to a running UCoFIA.Service, with the optional X-Api-Key header.</summary>
public sealed class ServiceClient(HttpClient http)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static HttpClient Create(string url, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        }
        return http;
    }

    /// <summary>Uploads one file and waits for its job; returns the video id, or throws with the job's error.</summary>
    public async Task<Guid> IngestAsync(string path, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", Path.GetFileName(path));
        form.Add(new StringContent(Path.GetFileNameWithoutExtension(path)), "title");
        using var response = await http.PostAsync("/api/videos", form, ct);
        var body = await ReadAsync(response, ct);
        var videoId = body.GetProperty("videoId").GetGuid();
        if (body.TryGetProperty("jobId", out var jobId) && jobId.ValueKind == JsonValueKind.String)
        {
            while (true)
            {
                var job = await ReadAsync(await http.GetAsync($"/api/jobs/{jobId.GetGuid()}", ct), ct);
                switch (job.GetProperty("state").GetString())
                {
                    case "succeeded":
                        return videoId;
                    case "failed":
                        throw new InvalidOperationException(job.GetProperty("error").GetString() ?? "the job failed");
                }
                await Task.Delay(200, ct);
            }
        }
        return videoId;
    }

    public async Task<JsonElement> SearchAsync(string text, int topK, CancellationToken ct) =>
        await ReadAsync(await http.PostAsJsonAsync("/api/search/videos", new { text, topK }, ct), ct);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {text}", null, response.StatusCode);
            }
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
