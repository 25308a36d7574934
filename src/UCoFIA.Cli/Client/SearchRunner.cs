using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace UCoFIA.Cli.Client;

/// <summary>Runs a text search and prints the hits as a table with their moments.</summary>
public static class SearchRunner
{
    public static async Task<JsonElement> RunAsync(ServiceClient client, string text, int top, IAnsiConsole console, CancellationToken ct)
    {
        var body = await client.SearchAsync(text, top, ct);
        var table = new Table().AddColumns("#", "video", "title", "score", "moments (s)");
        var rank = 0;
        foreach (var hit in body.GetProperty("results").EnumerateArray())
        {
            var moments = string.Join(", ", hit.GetProperty("moments").EnumerateArray().Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.GetProperty("start").GetDouble():0.0}–{m.GetProperty("end").GetDouble():0.0} ({m.GetProperty("score").GetDouble():0.000})")));
            table.AddRow(
                (++rank).ToString(CultureInfo.InvariantCulture),
                hit.GetProperty("videoId").GetGuid().ToString(),
                Markup.Escape(hit.GetProperty("title").GetString() ?? ""),
                hit.GetProperty("score").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture),
                moments);
        }
        console.Write(table);
        return body;
    }
}
