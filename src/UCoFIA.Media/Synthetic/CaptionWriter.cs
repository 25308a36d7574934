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
        return order.Take(count).Select(template => CaptionTemplates.Apply(template, Parts(scene, random))).ToArray();
    }

    private static CaptionParts Parts(SceneSpec scene, Random random)
    {
        var objects = scene.Objects;
        var plural = objects.Count > 1;
        var noun = Pick(random, CaptionPhrases.Nouns(objects.Shape));
        var colour = CaptionPhrases.Word(objects.Colour);
        var subject = plural
            ? $"{CaptionPhrases.CountWord(objects.Count)} {colour} {noun.Plural}"
            : $"{WithArticle(Pick(random, CaptionPhrases.Singles), colour)} {colour} {noun.Singular}";

        string VerbFor(Motion motion)
        {
            var verb = Pick(random, CaptionPhrases.Verbs(motion));
            return plural ? verb.Plural : verb.Singular;
        }

        var verb = scene.LaterMotion is { } later
            ? string.Format(Pick(random, CaptionPhrases.Sequences), VerbFor(scene.Motion), VerbFor(later))
            : VerbFor(scene.Motion);

        var background = scene.LaterBackgroundColour is { } laterColour
            ? string.Format(Pick(random, CaptionPhrases.ChangingBackgrounds(scene.Background.Pattern)), CaptionPhrases.Word(scene.Background.Colour), CaptionPhrases.Word(laterColour))
            : string.Format(Pick(random, CaptionPhrases.Backgrounds(scene.Background.Pattern)), CaptionPhrases.Word(scene.Background.Colour));

        var detail = scene.Detail;
        var detailPhrase = $"a {Pick(random, CaptionPhrases.DetailSizes)} {CaptionPhrases.Word(detail.Colour)} {Pick(random, CaptionPhrases.Nouns(detail.Shape)).Singular}";
        var location = string.Format(Pick(random, CaptionPhrases.Locations), CaptionPhrases.Word(detail.Corner));
        return new CaptionParts(subject, verb, background, detailPhrase, location);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    // "a" becomes "an" before a vowel sound: "an orange circle".
    private static string WithArticle(string determiner, string nextWord) =>
        determiner == "a" && "aeiou".Contains(nextWord[0]) ? "an" : determiner;
}
