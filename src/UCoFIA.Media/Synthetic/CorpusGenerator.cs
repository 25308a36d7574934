namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Builds a captioned synthetic corpus from a seed. Every random choice comes from one
/// <see cref="Random"/> seeded with <paramref name="seed"/>, in a fixed order, so a seed names a corpus.
/// </summary>
public sealed class CorpusGenerator(int seed)
{
    public Corpus Generate(CorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(seed);
        var sampler = new SceneSampler(random, options.HeldOutPairs);

        CorpusItem Item(string split, int index, SceneSpec scene, TemplateSet templates) =>
            new($"{split}-{index:D5}", scene, CaptionWriter.Captions(scene, random, templates, options.CaptionsPerVideo), split);

        var train = Enumerable.Range(0, options.TrainCount)
            .Select(i => Item(CorpusSplit.Train, i, sampler.Sample(allowHeldOut: false, forceHeldOut: false), TemplateSet.Training))
            .ToArray();

        CorpusItem[] Evaluation(string split, int count) => Enumerable.Range(0, count)
            .Select(i => Item(split, i, sampler.Sample(allowHeldOut: true, forceHeldOut: random.NextDouble() < options.HeldOutShare), TemplateSet.All))
            .ToArray();

        var validation = Evaluation(CorpusSplit.Validation, options.ValidationCount);
        var test = Evaluation(CorpusSplit.Test, options.TestCount);
        var hard = Enumerable.Range(0, options.HardGroups).SelectMany(g => HardGroup(g, sampler, random, options)).ToArray();
        return new Corpus(train, validation, test, hard);
    }

    // Clips that share everything but the small object, so only a model that sees it can tell them apart.
    private static IEnumerable<CorpusItem> HardGroup(int group, SceneSampler sampler, Random random, CorpusOptions options)
    {
        var groupId = $"{CorpusSplit.HardTest}-{group:D4}";
        var baseScene = sampler.Sample(allowHeldOut: true, forceHeldOut: false);
        var scenes = new List<SceneSpec> { baseScene };
        // Each variant changes one of the small object's colour, shape and corner from the base scene.
        for (var variant = 1; variant < options.HardGroupSize; variant++)
        {
            scenes.Add(sampler.Vary(baseScene, (Variation)((variant - 1) % 3), scenes, allowHeldOut: true));
        }

        return scenes.Select((scene, variant) =>
        {
            var captions = CaptionWriter.Captions(scene, random, TemplateSet.All, options.CaptionsPerVideo);
            return new CorpusItem($"{groupId}-{variant}", scene, captions, CorpusSplit.HardTest, groupId);
        }).ToArray();
    }
}
