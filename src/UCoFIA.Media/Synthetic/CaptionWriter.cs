namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Writes captions that describe every cue of a scene: the background (and its change), the main objects'
/// colour, shape, count and motion (and its change, in order), and the small object's colour, shape and corner.
/// </summary>
public static class CaptionWriter
{
    /// <summary>
    /// <paramref name="count"/> captions, each with a different sentence structure and its own synonyms,
    /// all drawn from <paramref name="random"/> so a seeded generator repeats them exactly.
    /// </summary>
    public static IReadOnlyList<string> Captions(SceneSpec scene, Random random, TemplateSet templates, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(random);
        var available = CaptionTemplates.Count(templates);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, available);

        var order = Enumerable.Range(0, available).ToArray();
        random.Shuffle(order);
        return order.Take(count).Select(template => CaptionTemplates.Apply(template, Parts(scene, random, templates))).ToArray();
    }

    private static CaptionParts Parts(SceneSpec scene, Random random, TemplateSet set)
    {
        var objects = scene.Objects;
        var plural = objects.Count > 1;
        var noun = Pick(random, CaptionPhrases.Nouns(objects.Shape));
        var colour = ColourWord(objects.Colour, random);
        var subject = plural
            ? $"{Pick(random, CaptionPhrases.CountWords(objects.Count))} {colour} {noun.Plural}"
            : $"{WithArticle(Pick(random, CaptionPhrases.Singles), colour)} {colour} {noun.Singular}";

        string VerbFor(Motion motion)
        {
            var verb = Pick(random, CaptionPhrases.Verbs(motion));
            return plural ? verb.Plural : verb.Singular;
        }

        var verb = scene.LaterMotion is { } later
            ? string.Format(CaptionPhrases.Sequences.Pick(random, set), VerbFor(scene.Motion), VerbFor(later))
            : VerbFor(scene.Motion);

        var pattern = scene.Background.Pattern;
        var background = scene.LaterBackgroundColour is { } laterColour
            ? string.Format(CaptionPhrases.ChangingBackgrounds(pattern).Pick(random, set), ColourWord(scene.Background.Colour, random), ColourWord(laterColour, random))
            : string.Format(CaptionPhrases.Backgrounds(pattern).Pick(random, set), ColourWord(scene.Background.Colour, random));

        var detail = scene.Detail;
        var detailColour = ColourWord(detail.Colour, random);
        var size = Pick(random, CaptionPhrases.DetailSizes);
        var detailPhrase = $"{WithArticle("a", size)} {size} {detailColour} {Pick(random, CaptionPhrases.Nouns(detail.Shape)).Singular}";
        var location = string.Format(CaptionPhrases.Locations.Pick(random, set), Pick(random, CaptionPhrases.Words(detail.Corner)));
        return new CaptionParts(subject, verb, background, detailPhrase, location);
    }

    private static string ColourWord(Colour colour, Random random) => Pick(random, CaptionPhrases.Words(colour));

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    // "a" becomes "an" before a vowel sound: "an orange circle".
    private static string WithArticle(string determiner, string nextWord) =>
        determiner == "a" && "aeiou".Contains(nextWord[0]) ? "an" : determiner;
}
