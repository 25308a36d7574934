namespace UCoFIA.Service.Errors;

/// <summary>
/// An error of the HTTP edge itself (a body that cannot be read, the wrong content type, an upload over the limit),
/// whose status, stable code and message are meant for the client as they are. Code below the edge throws
/// <see cref="Domain.DomainException"/>s instead.
/// </summary>
public sealed class ApiException(int status, string code, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public static ApiException Validation(string detail) =>
        new(StatusCodes.Status400BadRequest, "validation", "The request is not valid.", detail);

    public static ApiException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported content type.", detail);

    public static ApiException TooLarge(string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, "too-large", "The upload is too large.", detail);
}
