using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Apis;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Request examples that the service accepts as they are: Swagger UI otherwise fills "Try it out" with
/// placeholders such as <c>"granularities": ["string"]</c> or <c>"cursor": "string"</c>, which are rejected.
/// </summary>
public sealed class RequestExamples : ISchemaFilter
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(VideoSearchRequest)] = """{ "text": "a red circle moves to the left", "topK": 10, "candidates": 200, "granularities": ["video", "frame", "patch"] }""",
        [typeof(ExplainRequest)] = """{ "text": "a red circle moves to the left", "videoId": "00000000-0000-0000-0000-000000000000" }""",
        [typeof(CaptionSearchRequest)] = """{ "videoId": "00000000-0000-0000-0000-000000000000", "topK": 10 }""",
        [typeof(AddCaptionsRequest)] = """{ "texts": ["a red circle moves to the left on a blue background"] }""",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && Examples.TryGetValue(context.Type, out var example))
        {
            concrete.Examples = [JsonNode.Parse(example)!];
        }
    }
}
