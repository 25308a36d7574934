using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Apis;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Gives an operation that takes JSON or a multipart upload its real form schema (binary file fields included) for
/// the multipart content type, where the API explorer would repeat the JSON type: Swagger UI then offers a file
/// picker and sends the form.
/// </summary>
public sealed class MultipartFormBodies : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var form = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<MultipartFormFields>().LastOrDefault();
        if (form is not null && operation.RequestBody?.Content?.TryGetValue("multipart/form-data", out var media) == true && media is OpenApiMediaType concrete)
        {
            concrete.Schema = context.SchemaGenerator.GenerateSchema(form.Form, context.SchemaRepository);
        }
    }
}
