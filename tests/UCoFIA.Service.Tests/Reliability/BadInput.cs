using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>One hostile request and the answer it must get.</summary>
public sealed record BadCase(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Code);

/// <summary>
/// Generators for the bad-input suite. Theory data are case names (serialisable, so every case is its own test);
/// the request itself is built from the name at run time from media made once per process.
/// </summary>
public static class BadInput
{
    public const string Mp4 = "video/mp4";

    public static readonly string[] SqlInjections =
    [
        "'; DROP TABLE videos; --",
        "' OR '1'='1",
        "1; DELETE FROM ingest_jobs WHERE true; --",
        "\" OR \"\"=\"",
        "'); TRUNCATE captions CASCADE; SELECT ('",
        "$$; DROP TABLE video_frames; $$",
        "\\'; COPY videos TO '/tmp/x'; --",
    ];

    public static readonly string[] PathTraversals =
    [
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\system32\\config\\sam",
        "/etc/shadow",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "....//....//etc/passwd",
        "uploads/../../tmp/evil.video",
    ];

    /// <summary>Texts that are odd but valid: every text field must accept them.</summary>
    public static readonly Dictionary<string, string> OddValidTexts = new()
    {
        ["rtl-arabic"] = "دائرة حمراء تتحرك إلى اليسار",
        ["rtl-hebrew"] = "עיגול אדום זז שמאלה",
        ["rtl-override"] = "a red \u202Ecircle\u202C moves",
        ["emoji"] = "🔴 moves ⬅️ on 🟦",
        ["emoji-zwj"] = "👩‍👩‍👧‍👦 family 🏳️‍🌈",
        ["combining"] = "Z̴͉̈́a̶̤͝l̷̰̀g̸͔̈o̵̗͝",
        ["cjk"] = "红色的圆向左移动",
        ["tab-newline"] = "a red circle\n\tmoves left",
        ["zero-width"] = "a\u200Bred\u200Dcircle\uFEFF",
        ["exactly-1000"] = new string('a', 1000),
        ["single-char"] = "x",
        ["html"] = "<script>alert(1)</script>",
        ["format-string"] = "%s%s%s%n{0}{1}${jndi:ldap://x}",
        ["null-word"] = "null",
    };

    /// <summary>Texts every text field must refuse with 400 validation.</summary>
    public static readonly Dictionary<string, string> InvalidTexts = new()
    {
        ["empty"] = "",
        ["space"] = " ",
        ["whitespace"] = " \t\r\n ",
        ["chars-1001"] = new string('b', 1001),
        ["chars-10k"] = new string('c', 10_000),
        ["ctl-nul"] = "a\u0000b",
        ["ctl-soh"] = "\u0001",
        ["ctl-bell"] = "red\u0007circle",
        ["ctl-esc"] = "\u001b[31mred",
        ["ctl-del"] = "red\u007f",
        ["ctl-c1"] = "red\u009bcircle",
        ["ctl-backspace"] = "red\bcircle",
    };

    public static IEnumerable<object[]> Names(IEnumerable<BadCase> cases) => cases.Select(c => new object[] { c.Name });

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static HttpContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>A well-formed upload form; null arguments leave the part out.</summary>
    public static MultipartFormDataContent Form(
        byte[]? file, string fileName = "clip.mp4", string? contentType = Mp4, string fileField = "file",
        string? title = null, IEnumerable<string>? captions = null, string? metadata = null, params (string Name, string Value)[] extra)
    {
        var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            if (contentType is not null)
            {
                part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }
            form.Add(part, fileField, fileName);
        }
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
        foreach (var (name, value) in extra)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    /// <summary>A multipart body written byte by byte, for structures HttpClient refuses to build.</summary>
    public static HttpContent RawMultipart(string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    public static HttpContent Raw(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return content;
    }
}
