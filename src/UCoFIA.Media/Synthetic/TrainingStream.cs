namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Fresh training clips, a new set for every batch, so a model cannot memorise a fixed corpus. No clip holds a
/// held-out colour–shape pair or equals one of <paramref name="excluded"/> (the evaluation splits' scenes), and
/// captions use training phrasing only. Part of each batch is hard-negative groups: clips that differ in exactly one
/// attribute (the small object's colour, shape or corner, the motion, or the background), which only the cue
/// that differs tells apart.
/// </summary>
public sealed class TrainingStream(IReadOnlySet<(Colour Colour, Shape Shape)> heldOutPairs, IReadOnlySet<SceneSpec> excluded)
{
    private static readonly Variation[] Variations = Enum.GetValues<Variation>();

    /// <param name="random">the only source of choices, so a seeded generator repeats the batch</param>
    /// <param name="clips">batch size</param>
    /// <param name="groupSize">clips per hard-negative group</param>
    /// <param name="hardShare">share of the batch in hard-negative groups (whole groups, rounded down)</param>
    /// <returns>distinct scenes, one caption each; a group's clips are adjacent and share a Group id</returns>
    public IReadOnlyList<CorpusItem> Batch(Random random, int clips, int groupSize, double hardShare)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(clips, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(hardShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hardShare, 1);
        var sampler = new SceneSampler(random, heldOutPairs);
        var scenes = new List<SceneSpec>();
        var groups = new List<string?>();
        var groupCount = (int)(clips * hardShare) / groupSize;
        for (var g = 0; g < groupCount; g++)
        {
            var variation = Variations[random.Next(Variations.Length)];
            var group = HardGroup(sampler, scenes, variation, groupSize);
            scenes.AddRange(group);
            groups.AddRange(group.Select(_ => $"{variation}-{g}"));
        }
        while (scenes.Count < clips)
        {
            scenes.Add(Fresh(sampler, scenes));
            groups.Add(null);
        }
        return scenes.Select((scene, i) => new CorpusItem($"stream-{i:D3}", scene,
            CaptionWriter.Captions(scene, random, TemplateSet.Training, count: 1), CorpusSplit.Train, groups[i])).ToArray();
    }

    /// <summary>
    /// A base scene and its variants. Some bases have too few: a corner group needs all four corners, and one of
    /// them may be an evaluation scene; such a base is dropped for another.
    /// </summary>
    private List<SceneSpec> HardGroup(SceneSampler sampler, List<SceneSpec> batch, Variation variation, int groupSize)
    {
        while (true)
        {
            var group = new List<SceneSpec> { Fresh(sampler, batch) };
            while (group.Count < groupSize && sampler.TryVary(group[0], variation, [.. batch, .. group, .. excluded], allowHeldOut: false) is { } variant)
                group.Add(variant);
            if (group.Count == groupSize)
                return group;
        }
    }

    // Rejection is rare: the scene space holds millions of scenes, the evaluation splits a few thousand.
    private SceneSpec Fresh(SceneSampler sampler, List<SceneSpec> batch)
    {
        while (true)
        {
            var scene = sampler.Sample(allowHeldOut: false, forceHeldOut: false);
            if (!excluded.Contains(scene) && !batch.Contains(scene))
                return scene;
        }
    }
}
