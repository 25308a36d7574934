using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace UCoFIA.Service.Tests;

/// <summary>Small helpers over HttpClient for the service's routes.</summary>
public static class ApiClient
{
    public static MultipartFormDataContent UploadForm(byte[] video, string? title = null, IEnumerable<string>? captions = null, string? metadata = null,
        string? callbackUrl = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(video);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "clip.mp4");
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }
        foreach (var caption in captions ?? [])
        {
            form.Add(new StringContent(caption), "captions");
        }
        if (metadata is not null)
        {
            form.Add(new StringContent(metadata), "metadata");
        }
        if (callbackUrl is not null)
        {
            form.Add(new StringContent(callbackUrl), "callbackUrl");
        }
        return form;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Uploads a video and waits until its job reaches a final state; returns the job JSON.</summary>
    public static async Task<JsonElement> IngestAsync(this HttpClient client, byte[] video, string? title = null, IEnumerable<string>? captions = null)
    {
        return await client.WaitForJobAsync(await client.UploadAsync(UploadForm(video, title, captions)));
    }

    /// <summary>Uploads a video that is new to the service; asserts 202 and returns its job id.</summary>
    public static async Task<Guid> UploadAsync(this HttpClient client, MultipartFormDataContent form)
    {
        using var response = await client.PostAsync("/api/videos", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("jobId").GetGuid();
    }

    /// <summary>Waits until the job has ended (succeeded, failed or canceled); returns the job JSON.</summary>
    public static Task<JsonElement> WaitForJobAsync(this HttpClient client, Guid jobId) =>
        client.WaitForJobAsync(jobId, job => job.GetProperty("state").GetString() is "succeeded" or "failed" or "canceled");

    /// <summary>Polls the job until <paramref name="reached"/> holds for its JSON; returns that JSON.</summary>
    public static async Task<JsonElement> WaitForJobAsync(this HttpClient client, Guid jobId, Func<JsonElement, bool> reached)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await (await client.GetAsync($"/api/jobs/{jobId}")).JsonAsync();
            if (reached(job))
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Job {jobId} did not get there.");
    }

    /// <summary>
    /// Polls /health/ready until it answers 200 (migrations applied, model loaded) and returns its JSON; the host
    /// answers requests before the model worker has loaded the checkpoint.
    /// </summary>
    public static async Task<JsonElement> WaitUntilReadyAsync(this HttpClient client)
    {
        for (var i = 0; i < 600; i++)
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.JsonAsync();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The service did not become ready.");
    }

    /// <summary>Searches videos by a JPEG picture; asserts 200 and returns the response JSON.</summary>
    public static async Task<JsonElement> SearchByImageAsync(this HttpClient client, byte[] jpeg)
    {
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(jpeg);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "image", "query.jpg");
        using var response = await client.PostAsync("/api/search/videos", form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>Asserts an RFC 9457 body with the given status and stable problem type.</summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("urn:ucofia:problem:" + code, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}
