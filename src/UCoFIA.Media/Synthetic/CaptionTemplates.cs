namespace UCoFIA.Media.Synthetic;

/// <summary>Which sentence structures and wordings captions may use.</summary>
public enum TemplateSet
{
    /// <summary>Only the structures and wordings training may see.</summary>
    Training,

    /// <summary>Training ones plus the test-only ones, to test whether a model generalises to new phrasing.</summary>
    All,
}

/// <summary>The parts of a caption, already worded; templates only arrange them.</summary>
/// <param name="Subject">"two red circles"</param>
/// <param name="Verb">"move left", agreeing with the subject</param>
/// <param name="Background">"a blue striped background"</param>
/// <param name="Detail">"a small green star"</param>
/// <param name="Location">"in the top left corner"</param>
internal sealed record CaptionParts(string Subject, string Verb, string Background, string Detail, string Location);

/// <summary>
/// Sentence structures: clause orders that start from the subject, the background, the detail or the location, and
/// sentences that name the scene in different ways ("This video shows", "A clip of", "We see"). The last
/// <see cref="HeldOutCount"/> never appear in training captions.
/// </summary>
internal static class CaptionTemplates
{
    public const int HeldOutCount = 3;

    private static readonly Func<CaptionParts, string>[] Templates =
    [
        p => $"{p.Subject} {p.Verb} on {p.Background}, with {p.Detail} {p.Location}.",
        p => $"On {p.Background}, {p.Subject} {p.Verb} while {p.Detail} sits {p.Location}.",
        p => $"{p.Detail} sits {p.Location} as {p.Subject} {p.Verb} against {p.Background}.",
        p => $"There is {p.Detail} {p.Location}; {p.Subject} {p.Verb} over {p.Background}.",
        p => $"{p.Subject} {p.Verb}; the scene has {p.Background} and {p.Detail} {p.Location}.",
        p => $"This video shows {p.Subject} that {p.Verb} on {p.Background}, and {p.Detail} {p.Location}.",
        p => $"A clip of {p.Background} where {p.Subject} {p.Verb}; {p.Detail} is {p.Location}.",
        p => $"We see {p.Detail} {p.Location} and {p.Subject} that {p.Verb}, all on {p.Background}.",
        p => $"{p.Location} there is {p.Detail}, and {p.Subject} {p.Verb} in front of {p.Background}.",
        p => $"In this scene {p.Subject} {p.Verb} over {p.Background}, while {p.Detail} stays {p.Location}.",
        // Test only: new clause orders and punctuation, in words that training captions use.
        p => $"{p.Location}: {p.Detail}; {p.Subject} {p.Verb} on {p.Background}.",
        p => $"With {p.Detail} {p.Location}, {p.Subject} {p.Verb} over {p.Background}.",
        p => $"{p.Detail} is {p.Location}. {p.Subject} {p.Verb} on {p.Background}.",
    ];

    public static int Count(TemplateSet set) => set == TemplateSet.All ? Templates.Length : Templates.Length - HeldOutCount;

    public static string Apply(int template, CaptionParts parts)
    {
        var text = Templates[template](parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
