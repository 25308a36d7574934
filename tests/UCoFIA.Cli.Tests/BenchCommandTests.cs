using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using UCoFIA.Cli.Bench;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Cli.Tests;

/// <summary>
/// <c>ucofia bench</c> end to end on a tiny gallery in a real database. The bench talks to the service over HTTP only,
/// so here its HTTP side is a stub that ranks the stored videos by a hash of (text, id): exhaustive over all of them,
/// two-stage over the first <c>candidates</c> ids, so agreement must reach 1 once candidates cover the gallery.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_TinyGallery_FillsByCopyMeasuresAgreementAndWritesReport()
    {
        await using var database = await TestDatabase.CreateAsync();
        var output = Path.Combine(Path.GetTempPath(), $"ucofia-bench-test-{Guid.NewGuid():N}");
        var root = new RootCommand { BenchCommand.Create(() => new StubService(database.ConnectionString)) };
        try
        {
            var exit = await root.Parse([
                "bench", "--connection", database.ConnectionString, "--url", "http://stub", "--model", ModelFolder(),
                "--sizes", "12,40", "--queries", "4", "--agreement-queries", "3", "--candidates", "5,40", "--ef", "10,40",
                "--concurrency", "1,2", "--pool", "8", "--ingest-videos", "0", "--out", output,
            ]).InvokeAsync();

            Assert.Equal(0, exit);
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM videos), (SELECT count(*) FROM video_frames)", connection);
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal(40L, reader.GetInt64(0));
                Assert.True(reader.GetInt64(1) >= 40L);
            }
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "bench.json")));
            var agreement = json.RootElement.GetProperty("Agreement").EnumerateArray().ToList();
            var full = agreement.Single(a => a.GetProperty("Size").GetInt32() == 40 && a.GetProperty("Candidates").GetInt32() == 40);
            Assert.Equal(1.0, full.GetProperty("Overlap").GetDouble());
            Assert.Equal(4, json.RootElement.GetProperty("Latency").GetArrayLength()); // 2 sizes × 2 concurrency levels
            Assert.True(json.RootElement.GetProperty("Fills")[1].GetProperty("BytesPerVideo").GetDouble() > 0);
            Assert.Contains("| 40 | 40 |", await File.ReadAllTextAsync(Path.Combine(output, "report.md")));
            Assert.True(new FileInfo(Path.Combine(output, BenchReport.LatencyPlot)).Length > 0);
            Assert.True(new FileInfo(Path.Combine(output, BenchReport.AgreementPlot)).Length > 0);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static string ModelFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "default");
            if (File.Exists(Path.Combine(candidate, "config.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("models/default not found above the test's folder.");
    }

    private sealed class StubService(string connectionString) : HttpMessageHandler
    {
        private long _lookups;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/metrics", StringComparison.Ordinal))
            {
                var n = Interlocked.Add(ref _lookups, 10);
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($"ucofia_feature_cache_lookups_total{{otel_scope_name=\"x\",outcome=\"hit\"}} {n}\n" +
                        $"ucofia_feature_cache_lookups_total{{otel_scope_name=\"x\",outcome=\"miss\"}} {n / 10}\n"),
                };
            }
            var body = await request.Content!.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var text = body.GetProperty("text").GetString()!;
            var ids = await IdsAsync(cancellationToken);
            var pool = body.GetProperty("exhaustive").GetBoolean() ? ids : ids.Take(body.GetProperty("candidates").GetInt32()).ToList();
            var results = pool.OrderByDescending(id => Score(text, id)).Take(body.GetProperty("topK").GetInt32())
                .Select(id => new { videoId = id, score = Score(text, id) }).ToList();
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new
                {
                    results,
                    candidates = pool.Count,
                    timings = new { encodeMs = 1.0, recallMs = 2.0, fetchMs = 0.5, rerankMs = 3.0 },
                }),
            };
        }

        private static double Score(string text, Guid id) => (uint)HashCode.Combine(text, id) / (double)uint.MaxValue;

        private async Task<List<Guid>> IdsAsync(CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT id FROM videos ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var ids = new List<Guid>();
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
            return ids;
        }
    }
}
