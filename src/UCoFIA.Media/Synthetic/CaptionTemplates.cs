namespace UCoFIA.Media.Synthetic;

/// <summary>Which sentence structures captions may use.</summary>
public enum TemplateSet
{
    /// <summary>Only the structures training may see.</summary>
    Training,

    /// <summary>Training structures plus the held-out ones, to test whether a model generalises to new phrasing.</summary>
    All,
}

/// <summary>The parts of a caption, already worded; templates only arrange them.</summary>
/// <param name="Subject">"two red circles"</param>
/// <param name="Verb">"move left", agreeing with the subject</param>
/// <param name="Background">"a blue striped background"</param>
/// <param name="Detail">"a small green star"</param>
/// <param name="Location">"in the top left corner"</param>
internal sealed record CaptionParts(string Subject, string Verb, string Background, string Detail, string Location);

/// <summary>Sentence structures; the last <see cref="HeldOutCount"/> never appear in training captions.</summary>
internal static class CaptionTemplates
{
    public const int HeldOutCount = 2;

    private static readonly Func<CaptionParts, string>[] Templates =
    [
        p => $"{p.Subject} {p.Verb} on {p.Background}, with {p.Detail} {p.Location}.",
        p => $"On {p.Background}, {p.Subject} {p.Verb} while {p.Detail} sits {p.Location}.",
        p => $"{p.Detail} sits {p.Location} as {p.Subject} {p.Verb} against {p.Background}.",
        p => $"There is {p.Detail} {p.Location}; {p.Subject} {p.Verb} over {p.Background}.",
        p => $"{p.Subject} {p.Verb}; the scene has {p.Background} and {p.Detail} {p.Location}.",
        // Held out of training.
        p => $"{p.Location}, {p.Detail} can be seen, while {p.Subject} {p.Verb} on {p.Background}.",
        p => $"{p.Background} behind {p.Subject} that {p.Verb}, and {p.Detail} {p.Location}.",
    ];

    public static int Count(TemplateSet set) => set == TemplateSet.All ? Templates.Length : Templates.Length - HeldOutCount;

    public static string Apply(int template, CaptionParts parts)
    {
        var text = Templates[template](parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
