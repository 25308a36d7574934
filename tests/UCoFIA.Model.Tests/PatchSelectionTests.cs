using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class PatchSelectionTests
{
    /// <summary>Two frames of 6 patch scores; the planted top-2 are {4, 1} and {0, 5}.</summary>
    private static Tensor Planted() => tensor(new float[] { 0.1f, 0.9f, 0.2f, 0.0f, 0.95f, 0.3f, 0.8f, 0.1f, 0.0f, 0.2f, 0.1f, 0.7f }).view(2, 6);

    [Fact]
    public void Hard_PlantedScores_PicksTopPatchesInSpatialOrder()
    {
        using var scope = NewDisposeScope();
        var indices = PerturbedTopK.Hard(Planted(), 2);
        Assert.Equal(new long[] { 1, 4, 0, 5 }, indices.data<long>().ToArray());
        Assert.Equal(indices.data<long>().ToArray(), PerturbedTopK.Hard(Planted(), 2).data<long>().ToArray());
    }

    [Fact]
    public void Perturbed_SmallNoise_ConcentratesOnPlantedPatches()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var indicators = PerturbedTopK.Perturbed(Planted(), 2, samples: 200, sigma: 0.01, generator); // [2, 2, 6]
        Assert.Equal([2L, 2L, 6L], indicators.shape);
        var chosen = indicators.argmax(-1); // [2, 2]
        Assert.Equal(new long[] { 1, 4, 0, 5 }, chosen.data<long>().ToArray());
        TestData.AssertClose(ones(2, 2), indicators.sum(-1), 1e-5); // each row is a distribution over patches
    }

    [Fact]
    public void Perturbed_SameSeed_SameOutputAndDifferentSeedDiffers()
    {
        using var scope = NewDisposeScope();
        var close = tensor(new float[] { 0.50f, 0.51f, 0.49f, 0.52f }).view(1, 4); // ties broken by the noise
        Tensor Run(ulong seed)
        {
            using var generator = new Generator(seed);
            return PerturbedTopK.Perturbed(close, 2, samples: 50, sigma: 0.05, generator);
        }
        TestData.AssertClose(Run(11), Run(11), 0);
        Assert.False(Run(11).allclose(Run(12)));
    }

    [Fact]
    public void Perturbed_Backward_GivesScoresAGradient()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var scores = tensor(new float[] { 0.50f, 0.51f, 0.49f, 0.52f }).view(1, 4).requires_grad_();
        var values = tensor(new float[] { 1, 2, 3, 4 }).view(1, 4, 1);
        var picked = PerturbedTopK.Perturbed(scores, 2, 100, 0.05, generator).matmul(values).sum(); // Σ selected values
        picked.backward();
        Assert.NotNull(scores.grad);
        Assert.True(scores.grad!.abs().sum().item<float>() > 0);
    }
}
