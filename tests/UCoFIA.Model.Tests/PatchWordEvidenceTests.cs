using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class PatchWordEvidenceTests
{
    /// <summary>
    /// Four unit words against a stream whose tokens are unit vectors too (tiny config: F = 4 frames, K = 2, the
    /// last frame padded): word 0 is frame 0's first patch, word 1 frame 2's second patch, word 2 only a patch of the
    /// padded frame, word 3 every class token. Similarities are 1 or 0, so at τ = 0.01 the weights are all but one-hot.
    /// </summary>
    [Fact]
    public void ExplainPatchWord_HandMadeStream_WeighsEachWordsMatchingPatch()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var (l, d, f, k) = (model.Config.Text.MaxPositions, model.Config.ProjectionDim, model.Config.Alignment.NumFrames, model.Config.Alignment.TopKPatches);
        var words = zeros(1, l, d);
        foreach (var (position, axis) in new[] { (0, 0), (1, 1), (2, 2), (3, 10) })
            words[0, position, axis] = tensor(1f);
        var wordMask = arange(l).lt(4).unsqueeze(0); // [1, L]
        var frames = zeros(1, f, d);
        frames[.., .., 10] = tensor(1f); // every class token is axis 10
        var patches = zeros(1, f, k, d);
        for (var frame = 0; frame < f; frame++)
        {
            for (var slot = 0; slot < k; slot++)
                patches[0, frame, slot, 20 + frame * k + slot] = tensor(1f); // distinct axes, similar to no word
        }
        (patches[0, 0, 0], patches[0, 2, 1], patches[0, 3, 0]) = (OneHot(d, 0), OneHot(d, 1), OneHot(d, 2));
        var frameMask = tensor(new[] { true, true, true, false }).view(1, f);
        using var text = new TextFeatures(words[.., 0], words, wordMask);
        using var video = new VideoFeatures(zeros(1, d), cat([frames.unsqueeze(2), patches], 2), frameMask); // [1, F, 1+K, D]

        var evidence = model.ExplainPatchWord(text, video);

        Assert.Equal(3 * (1 + k), evidence.Stream.Count); // the padded frame's tokens are left out
        Assert.DoesNotContain(evidence.Stream, token => token.Frame == 3);
        Assert.Equal([0, 1, 2, 3], evidence.Words.Select(w => w.Position));
        Assert.All(evidence.Words, w => Assert.Equal(1.0, w.Weights.Sum(), 4));
        Assert.Equal(new StreamToken(0, 1), Strongest(evidence, 0));
        Assert.Equal(new StreamToken(2, 2), Strongest(evidence, 1));
        Assert.True(evidence.Words[0].Weights.Max() > 0.99);
        // A word that matches no real token spreads its weight evenly: the padded frame's match draws none of it.
        Assert.All(evidence.Words[2].Weights, w => Assert.Equal(1.0 / evidence.Stream.Count, w, 4));
        // A word that matches every class token splits its weight between the three real frames.
        var classWeights = evidence.Stream.Select((token, i) => (token, w: evidence.Words[3].Weights[i])).Where(p => p.token.IsClassToken).ToList();
        Assert.Equal(3, classWeights.Count);
        Assert.All(classWeights, p => Assert.Equal(1.0 / 3, p.w, 3));
    }

    /// <summary>
    /// With a learned, non-identity W in the patch ISA, Σ weight · similarity per word, then the second stage (ISA over
    /// words, its W left at the identity), must give the patches-first patch–word score itself: the evidence is the
    /// scorer's own weighting, not a look-alike.
    /// </summary>
    [Fact]
    public void ExplainPatchWord_LearnedPatchIsa_ReproducesThePatchesFirstScore()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        using (no_grad())
        {
            using var generator = new Generator(11);
            var w = parameters["ucofia.bi_isa.patch_isa.weight"];
            w.add_(0.5 * rand(w.shape, generator: generator));
        }
        using var text = model.EncodeText(["hello hello!"]);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 1, 4, seed: 5), tensor(new[] { true, true, true, false }).view(1, 4));
        var options = new ScoreOptions { Direction = PatchWordDirection.PatchesFirst, Granularities = new HashSet<Granularity> { Granularity.Patch } };
        using var score = model.Score(text, video, options);
        var logitScale = Math.Min(100, Math.Exp(parameters["logit_scale"].item<float>()));

        var evidence = model.ExplainPatchWord(text, video);

        Assert.All(evidence.Words, w => Assert.Equal(1.0, w.Weights.Sum(), 4));
        var perWord = evidence.Words.Select(w => w.Weights.Zip(w.Similarities, (a, b) => a * b).Sum()).ToArray();
        using var wordIsa = new Isa(perWord.Length);
        var expected = wordIsa.Aggregate(tensor(perWord), null, Aggregation.Isa, model.Config.Alignment.Tau).item<float>();
        Assert.Equal(score.Patch[0, 0].item<float>() / logitScale, expected, 4);
    }

    private static Tensor OneHot(long d, int axis)
    {
        var v = zeros(d);
        v[axis] = tensor(1f);
        return v;
    }

    private static StreamToken Strongest(PatchWordEvidence evidence, int word)
    {
        var weights = evidence.Words[word].Weights;
        return evidence.Stream[Array.IndexOf(weights, weights.Max())];
    }
}
