namespace UCoFIA.Service.Domain;

/// <summary>
/// A failure the caller can act on, said in the service's own terms. Code below the HTTP edge throws these; only
/// the exception handler decides what each means on the wire.
/// </summary>
/// <param name="code">A stable, machine-readable name (e.g. "too-long"), the same whatever the wording.</param>
public abstract class DomainException(string code, string title, string detail) : Exception(detail)
{
    public string Code { get; } = code;

    public string Title { get; } = title;
}

/// <summary>A thing the request names does not exist.</summary>
public sealed class NotFoundException(string what, string detail) : DomainException("not-found", $"{what} not found.", detail)
{
    public NotFoundException(string what, Guid id)
        : this(what, $"No {what.ToLowerInvariant()} has id {id}.")
    {
    }
}

/// <summary>A request the domain cannot mean: a cursor from another query, a combination of options that has no answer.</summary>
public sealed class InvalidQueryException(string detail) : DomainException("validation", "The request is not valid.", detail);

/// <summary>An input that was read but cannot be used: a video too long, an empty file, an image that does not decode.</summary>
public sealed class UnusableInputException(string code, string what, string detail)
    : DomainException(code, $"The {what} cannot be used.", detail)
{
    public static UnusableInputException Video(string code, string detail) => new(code, "video", detail);
}

/// <summary>The model's queue is full; nothing was done, and the same call may succeed shortly.</summary>
public sealed class OverloadedException()
    : DomainException("overloaded", "The model is busy.", "Too many requests are waiting for the model. Retry shortly.");

/// <summary>The request does not fit the thing's current state: a job that has ended cannot be canceled.</summary>
public sealed class ConflictException(string code, string title, string detail) : DomainException(code, title, detail);

/// <summary>What the request needs existed once and is gone for good: a failed job's upload after it was swept.</summary>
public sealed class GoneException(string code, string title, string detail) : DomainException(code, title, detail);
