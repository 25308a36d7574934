namespace UCoFIA.Media;

/// <summary>
/// A media problem the user can act on. <see cref="Exception.Message"/> is written for the uploader;
/// <see cref="Code"/> is stable, so callers can map it to a problem-details type without parsing text.
/// </summary>
public sealed class MediaException : Exception
{
    public const string NotAVideo = "not-a-video";
    public const string CorruptVideo = "corrupt-video";
    public const string DecodeTimeout = "decode-timeout";

    public MediaException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
