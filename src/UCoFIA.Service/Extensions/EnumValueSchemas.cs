using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Apis;

namespace UCoFIA.Service.Extensions;

/// <summary>Lists the values of a string property or parameter marked with <see cref="EnumValuesAttribute"/> as its schema's enum.</summary>
public sealed class EnumValueSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var values = context.MemberInfo?.GetCustomAttribute<EnumValuesAttribute>() ?? context.ParameterInfo?.GetCustomAttribute<EnumValuesAttribute>();
        if (values is not null && schema is OpenApiSchema concrete)
        {
            concrete.Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }
    }
}
