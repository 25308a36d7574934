using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Apis;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Request examples that the service accepts as they are: Swagger UI otherwise fills "Try it out" with
/// placeholders such as <c>"granularities": ["string"]</c> or <c>"cursor": "string"</c>, which are rejected (in a
/// form as much as in a JSON body: a <c>filter</c> field of "string" is not JSON).
/// </summary>
public sealed class RequestExamples : ISchemaFilter
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(VideoSearchRequest)] = """{ "text": "a red circle moves to the left", "topK": 10, "candidates": 200, "granularities": ["video", "frame", "patch"] }""",
        [typeof(ExplainRequest)] = """{ "text": "a red circle moves to the left", "videoId": "00000000-0000-0000-0000-000000000000" }""",
        [typeof(CaptionSearchRequest)] = """{ "videoId": "00000000-0000-0000-0000-000000000000", "topK": 10 }""",
        [typeof(AddCaptionsRequest)] = """{ "texts": ["a red circle moves to the left on a blue background"] }""",
        // Forms too. Swagger UI fills each field of a form from that property's example (an empty one is not sent).
        [typeof(SearchApi.ImageSearchForm)] = """{ "topK": 10, "candidates": 200, "granularities": [], "exhaustive": false, "filter": "", "cursor": "" }""",
        [typeof(VideosApi.UploadForm)] = """{ "title": "a red circle", "captions": ["a red circle moves to the left"], "metadata": "{ \"source\": \"swagger-ui\" }" }""",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && Examples.TryGetValue(context.Type, out var example))
        {
            var node = JsonNode.Parse(example)!;
            concrete.Examples = [node];
            foreach (var (name, value) in node.AsObject())
            {
                if (concrete.Properties is { } properties && properties.TryGetValue(name, out var property) && property is OpenApiSchema field && value is not null)
                {
                    field.Examples = [value.DeepClone()];
                }
            }
        }
    }
}
