using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class BiIsaTests
{
    private const double Tau = 0.1;

    /// <summary>One text with 2 words, one video with 3 patch tokens: S = [[0.1, 0.5, 0.2], [0.4, 0.0, 0.3]].</summary>
    private static Tensor Matrix() => tensor(new float[] { 0.1f, 0.5f, 0.2f, 0.4f, 0.0f, 0.3f }).view(1, 2, 1, 3);

    private static Tensor AllWords() => ones([1, 2], dtype: ScalarType.Bool);

    private static Tensor AllPatches() => ones([1, 3], dtype: ScalarType.Bool);

    [Theory]
    // Words first: ISA over each column = [0.39996, 0.49997, 0.29903], then ISA over those = 0.49790.
    [InlineData(PatchWordDirection.WordsFirst, 0.4978956)]
    // Patches first: ISA over each row = [0.49992, 0.39863], then ISA over those = 0.49898.
    [InlineData(PatchWordDirection.PatchesFirst, 0.4989791)]
    // Bi-ISA is the mean of both orders.
    [InlineData(PatchWordDirection.Both, 0.4984374)]
    public void Aggregate_TwoByThree_MatchesHandComputation(PatchWordDirection direction, double expected)
    {
        using var scope = NewDisposeScope();
        using var biIsa = new BiIsa(2, 3);
        var result = biIsa.Aggregate(Matrix(), AllWords(), AllPatches(), Aggregation.Isa, direction, Tau, learned: true);
        Assert.Equal([1L, 1L], result.shape);
        Assert.Equal(expected, result.item<float>(), 5);
    }

    [Fact]
    public void Aggregate_MeanMode_BothOrdersGiveTheGrandMean()
    {
        using var scope = NewDisposeScope();
        using var biIsa = new BiIsa(2, 3);
        var result = biIsa.Aggregate(Matrix(), AllWords(), AllPatches(), Aggregation.Mean, PatchWordDirection.Both, Tau, true);
        Assert.Equal(1.5 / 6, result.item<float>(), 5);
    }

    [Fact]
    public void Aggregate_Batched_EqualsPerPairLoop()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var (t, l, v, p) = (3, 4, 5, 6);
        using var biIsa = new BiIsa(l, p);
        using (no_grad())
        {
            foreach (var w in biIsa.parameters())
                w.add_(0.3 * randn(w.shape, generator: generator)); // non-identity interactions
        }
        var s = randn([t, l, v, p], generator: generator) * 0.3; // [T, L, V, P]
        var wordMask = rand([t, l], generator: generator) > 0.3;
        wordMask[.., 0] = tensor(true);
        var patchMask = rand([v, p], generator: generator) > 0.3;
        patchMask[.., 0] = tensor(true);

        var batched = biIsa.Aggregate(s, wordMask, patchMask, Aggregation.Isa, PatchWordDirection.Both, 0.05, true); // [T, V]
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < v; j++)
            {
                // Drop the masked entries entirely: the pair's own words × patches, nothing padded.
                var words = wordMask[i].nonzero().squeeze(1);
                var patches = patchMask[j].nonzero().squeeze(1);
                var pair = s[i, .., j].index_select(0, words).index_select(1, patches); // [l', p']
                var single = NaivePair(biIsa, pair, l, p, words, patches);
                Assert.Equal(single, batched[i, j].item<float>(), 4);
            }
        }
    }

    /// <summary>The same pair laid out alone at full size (zeros where masked) with its own masks.</summary>
    private static float NaivePair(BiIsa biIsa, Tensor pair, int l, int p, Tensor words, Tensor patches)
    {
        var full = zeros(l, p);
        var wordMask = zeros([1, l], dtype: ScalarType.Bool);
        var patchMask = zeros([1, p], dtype: ScalarType.Bool);
        wordMask[0].index_fill_(0, words, true);
        patchMask[0].index_fill_(0, patches, true);
        full.index_put_(pair, TensorIndex.Tensor(words.unsqueeze(1)), TensorIndex.Tensor(patches.unsqueeze(0)));
        return biIsa.Aggregate(full.view(1, l, 1, p), wordMask, patchMask, Aggregation.Isa, PatchWordDirection.Both, 0.05, true)
            .item<float>();
    }
}
