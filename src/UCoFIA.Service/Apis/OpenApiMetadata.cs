namespace UCoFIA.Service.Apis;

/// <summary>
/// The fields of an operation's multipart/form-data body when the operation also takes JSON. Endpoint routing keeps
/// one accepts entry listing both content types (it answers 415 to any type not listed), so that entry names the
/// JSON request type and this names the form's.
/// </summary>
public sealed record MultipartFormFields(Type Form);

/// <summary>
/// A string whose values are the lower-case names of <paramref name="enumType"/>'s members, as the API writes them:
/// the OpenAPI schema lists them as its enum, and a member added to the enum is listed without another edit.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EnumValuesAttribute(Type enumType) : Attribute
{
    public IReadOnlyList<string> Values { get; } = enumType.IsEnum
        ? Enum.GetNames(enumType).Select(n => n.ToLowerInvariant()).ToList()
        : throw new ArgumentException($"{enumType} is not an enum.", nameof(enumType));
}

public static class OpenApiMetadata
{
    /// <summary>Describes the multipart/form-data body of this JSON-or-multipart operation with <typeparamref name="TForm"/>'s properties.</summary>
    public static RouteHandlerBuilder WithMultipartForm<TForm>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new MultipartFormFields(typeof(TForm)));
}
