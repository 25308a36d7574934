using System.Net;
using System.Text;
using static UCoFIA.Service.Tests.Reliability.BadInput;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// Refused uploads: broken or non-video files (on both upload routes) and malformed multipart forms. Every case
/// gets its exact 4xx problem, stores no row and leaves no file behind.
/// </summary>
public sealed class BadUploadTests(ReliabilityHost host) : IClassFixture<ReliabilityHost>
{
    private static readonly Lazy<Dictionary<string, BadCase>> Cases = new(() => Build().ToDictionary(c => c.Name));

    public static IEnumerable<object[]> FileCases => Names(Cases.Value.Values.Where(c => c.Name.StartsWith("file:", StringComparison.Ordinal)));

    public static IEnumerable<object[]> FormCases => Names(Cases.Value.Values.Where(c => !c.Name.StartsWith("file:", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(FileCases))]
    public Task Upload_BrokenOrNonVideoFile_Returns422AndStoresNothing(string name) => RunAsync(name);

    [Theory]
    [MemberData(nameof(FormCases))]
    public Task Upload_MalformedForm_Returns4xxAndStoresNothing(string name) => RunAsync(name);

    private async Task RunAsync(string name)
    {
        var c = Cases.Value[name];
        await host.AssertRejectedAsync(c.Send, c.Status, c.Code);
    }

    private static IEnumerable<BadCase> Build()
    {
        // File contents that must be refused at upload time, sent to the upload route and to the caption lookup by upload.
        var files = new List<(string Name, Func<Task<byte[]>> Bytes, string Code)>();
        void File(string n, Func<Task<byte[]>> b, string code) => files.Add((n, b, code));
        static Func<Task<byte[]>> Of(byte[] bytes) => () => Task.FromResult(bytes);
        static Func<Task<byte[]>> Derived(Func<byte[], byte[]> f) => async () => f(await Media.GetAsync("base.mp4"));

        foreach (var fraction in Media.CutFractions)
        {
            File($"cut-{fraction}", Derived(b => Media.Cut(b, fraction)), "corrupt-video");
        }
        File("cut-7-bytes", Derived(b => b[..7]), "not-a-video");
        File("cut-3-bytes", Derived(b => b[..3]), "not-a-video");
        File("cut-1-byte", Derived(b => b[..1]), "not-a-video");
        File("moov-renamed", Derived(Media.BreakMoov), "corrupt-video");
        File("moov-only-tail", Derived(b => b[^600..]), "not-a-video");
        foreach (var position in Media.HeaderFlips)
        {
            File($"flip-header-{position}", Derived(b => Media.Flip(b, position)), "corrupt-video");
        }
        File("empty", Of([]), "empty-file");
        File("text-plain", Of(Encoding.UTF8.GetBytes("not a video at all")), "not-a-video");
        File("text-html", Of(Encoding.UTF8.GetBytes("<!doctype html><html><body>hello</body></html>")), "not-a-video");
        File("text-json", Of(Encoding.UTF8.GetBytes("{\"video\": true, \"frames\": [1,2,3]}")), "not-a-video");
        File("text-script", Of(Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf / ; $(reboot) `id`\n")), "not-a-video");
        File("text-ffconcat", Of(Encoding.UTF8.GetBytes("ffconcat version 1.0\nfile /etc/passwd\n")), "not-a-video");
        File("text-m3u8", Of(Encoding.UTF8.GetBytes("#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n")), "not-a-video");
        File("text-ftyp-word", Of(Encoding.UTF8.GetBytes("ftyp ftyp ftyp isom mp42 but only text")), "not-a-video");
        File("text-utf16", Of(Encoding.Unicode.GetBytes("\uFEFFa unicode text file")), "not-a-video");
        foreach (var (length, seed) in new[] { (1, 1), (16, 2), (1000, 3), (100_000, 4) })
        {
            File($"random-{length}", Of(Media.Random(length, seed)), "not-a-video");
        }
        File("zeros-4096", Of(new byte[4096]), "not-a-video");
        File("audio-only-mp4", () => Media.GetAsync("audio.mp4"), "not-a-video");
        File("audio-only-wav", () => Media.GetAsync("audio.wav"), "not-a-video");

        foreach (var (name, bytes, code) in files)
        {
            const HttpStatusCode status = HttpStatusCode.UnprocessableEntity;
            yield return new($"file:videos:{name}", async c => await c.PostAsync("/api/videos", Form(await bytes())), status, code);
            yield return new($"file:captions:{name}", async c => await c.PostAsync("/api/search/captions", Form(await bytes())), status, code);
        }
        yield return new("file:videos:empty-named-txt", async c => await c.PostAsync("/api/videos", Form([], "empty.txt", "text/plain")),
            HttpStatusCode.UnprocessableEntity, "empty-file");
        yield return new("file:videos:text-no-filename-type", async c => await c.PostAsync("/api/videos", Form(Encoding.UTF8.GetBytes("hello"), "x", null)),
            HttpStatusCode.UnprocessableEntity, "not-a-video");

        // Content types of the whole request.
        static Task<byte[]> Base() => Media.GetAsync("base.mp4");
        foreach (var type in new[] { "application/json", "text/plain", "application/x-www-form-urlencoded", "video/mp4", "application/octet-stream", "multipart/mixed; boundary=abc", "image/png", "not a media type" })
        {
            yield return new($"content-type:{type}", async c => await c.PostAsync("/api/videos", Raw(await Base(), type)),
                HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }
        yield return new("content-type:none", async c => await c.PostAsync("/api/videos", Raw(await Base(), null)),
            HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        yield return new("content-type:none-empty-body", c => c.PostAsync("/api/videos", Raw([], null)),
            HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");

        // Multipart structure.
        const string Bad = "validation";
        var v = HttpStatusCode.BadRequest;
        yield return new("form:no-boundary", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data", "--x\r\n\r\n--x--\r\n")), v, Bad);
        yield return new("form:boundary-too-long", c => c.PostAsync("/api/videos",
            RawMultipart($"multipart/form-data; boundary={new string('b', 250)}", "")), v, Bad);
        yield return new("form:empty-body", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz", "")), v, Bad);
        yield return new("form:not-multipart-body", c => c.PostAsync("/api/videos",
            RawMultipart("multipart/form-data; boundary=xyz", "this is just text, no boundary anywhere")), v, Bad);
        yield return new("form:no-sections", c => c.PostAsync("/api/videos", new MultipartFormDataContent()), v, Bad);
        yield return new("form:unterminated-file-part", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nsome bytes but never a closing boundary")), v, Bad);
        yield return new("form:unterminated-headers", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: form-data; name=\"title\"")), v, Bad);
        yield return new("form:header-too-long", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            $"--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\nX-Pad: {new string('p', 20_000)}\r\n\r\nt\r\n--xyz--\r\n")), v, Bad);
        yield return new("form:no-disposition", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n")), v, Bad);
        yield return new("form:disposition-attachment", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: attachment; name=\"file\"; filename=\"a.mp4\"\r\n\r\nhello\r\n--xyz--\r\n")), v, Bad);
        yield return new("form:disposition-no-name", c => c.PostAsync("/api/videos", RawMultipart("multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: form-data; filename=\"a.mp4\"\r\n\r\nhello\r\n--xyz--\r\n")), v, Bad);
        yield return new("form:missing-file", c => c.PostAsync("/api/videos", Form(null, title: "only a title")), v, Bad);
        yield return new("form:missing-file-with-everything-else", c => c.PostAsync("/api/videos",
            Form(null, title: "t", captions: ["a caption"], metadata: "{}")), v, Bad);
        yield return new("form:file-in-wrong-field", async c => await c.PostAsync("/api/videos", Form(await Base(), fileField: "upload")), v, Bad);
        yield return new("form:two-files", async c =>
        {
            var form = Form(await Base());
            form.Add(new ByteArrayContent(await Base()), "file", "second.mp4");
            return await c.PostAsync("/api/videos", form);
        }, v, Bad);
        foreach (var field in new[] { "foo", "Title", "__proto__", "file[]", "metadata2", "captions[0]", "../../etc/passwd", "'; DROP TABLE videos; --" })
        {
            yield return new($"form:unknown-field:{field}", async c => await c.PostAsync("/api/videos", Form(await Base(), extra: (field, "x"))), v, Bad);
        }
        foreach (var (name, metadata) in new Dictionary<string, string>
        {
            ["not-json"] = "not json", ["array"] = "[1,2]", ["string"] = "\"text\"", ["number"] = "42", ["null"] = "null", ["true"] = "true",
            ["unterminated"] = "{\"a\":", ["trailing"] = "{} {}", ["single-quotes"] = "{'a':1}", ["empty"] = "",
            ["deep"] = new string('[', 200) + new string(']', 200), ["deep-object"] = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100),
            ["over-64k"] = "{\"a\":\"" + new string('m', 70_000) + "\"}", ["sql"] = "'; DROP TABLE videos; --",
        })
        {
            yield return new($"form:metadata:{name}", async c => await c.PostAsync("/api/videos", Form(await Base(), metadata: metadata)), v, Bad);
        }
        // Text fields of the form obey the same rules as search texts.
        foreach (var (name, text) in InvalidTexts.Where(t => t.Key.StartsWith("ctl", StringComparison.Ordinal) || t.Key.StartsWith("chars", StringComparison.Ordinal)))
        {
            yield return new($"form:title:{name}", async c => await c.PostAsync("/api/videos", Form(await Base(), title: text)), v, Bad);
            yield return new($"form:caption:{name}", async c => await c.PostAsync("/api/videos", Form(await Base(), captions: ["fine", text])), v, Bad);
        }
        yield return new("form:title-over-64k", async c => await c.PostAsync("/api/videos", Form(await Base(), title: new string('t', 70_000))), v, Bad);
        yield return new("form:too-many-captions", async c => await c.PostAsync("/api/videos",
            Form(await Base(), captions: Enumerable.Range(0, 101).Select(i => $"caption {i}"))), v, Bad);
        yield return new("form:too-many-captions-json", async c => await c.PostAsync("/api/videos",
            Form(await Base(), captions: [System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, 101).Select(i => $"c{i}"))])), v, Bad);
        // A form that is fine until its last field: the streamed file must still be removed.
        yield return new("form:bad-field-after-file", async c => await c.PostAsync("/api/videos", Form(await Media.GetAsync("s16x16.mp4"), extra: ("zzz", "late"))), v, Bad);
    }
}
