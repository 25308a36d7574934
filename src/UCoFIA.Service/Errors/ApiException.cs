namespace UCoFIA.Service.Errors;

/// <summary>An error whose status, stable code and message are meant for the client as they are.</summary>
public sealed class ApiException(int status, string code, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public static ApiException Validation(string detail) =>
        new(StatusCodes.Status400BadRequest, "validation", "The request is not valid.", detail);

    public static ApiException NotFound(string what, Guid id) =>
        new(StatusCodes.Status404NotFound, "not-found", $"{what} not found.", $"No {what.ToLowerInvariant()} has id {id}.");

    public static ApiException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported content type.", detail);

    public static ApiException TooLarge(string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, "too-large", "The upload is too large.", detail);

    public static ApiException Unusable(string code, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, code, "The video cannot be used.", detail);
}
