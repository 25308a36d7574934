using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class IsaTests
{
    // s = [0.1, 0.2, 0.3], τ = 0.1: softmax(s/τ) = softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652].
    private static readonly float[] S = [0.1f, 0.2f, 0.3f];
    private const double Tau = 0.1;

    [Fact]
    public void Aggregate_IdentityW_MatchesHandComputation()
    {
        using var scope = NewDisposeScope();
        using var isa = new Isa(3);
        // Second softmax of [0.0900, 0.2447, 0.6652] / 0.1 = softmax([0.900, 2.447, 6.652]) = [0.0044, 0.0208, 0.9748];
        // Σ w·s = 0.0044·0.1 + 0.0208·0.2 + 0.9748·0.3 = 0.29791.
        var result = isa.Aggregate(tensor(S), null, Aggregation.Isa, Tau).item<float>();
        Assert.Equal(0.2979107, result, 5);
    }

    [Fact]
    public void Aggregate_SwappingW_MovesWeightBetweenEntries()
    {
        using var scope = NewDisposeScope();
        using var isa = new Isa(3);
        using (no_grad())
            isa.parameters().Single().copy_(tensor(new float[] { 0, 1, 0, 1, 0, 0, 0, 0, 1 }).view(3, 3));
        // p·W swaps the first two relevances: [0.2447, 0.0900, 0.6652] → softmax(/0.1) = [0.0110, 0.0024, 0.9866];
        // Σ w·s = 0.0011 + 0.0005 + 0.2960 = 0.29676.
        var result = isa.Aggregate(tensor(S), null, Aggregation.Isa, Tau).item<float>();
        Assert.Equal(0.2967573, result, 5);
    }

    [Fact]
    public void Aggregate_SoftmaxMode_IsRelevanceWeightedSum()
    {
        using var scope = NewDisposeScope();
        using var isa = new Isa(3);
        // 0.0900·0.1 + 0.2447·0.2 + 0.6652·0.3 = 0.25752
        Assert.Equal(0.2575210, isa.Aggregate(tensor(S), null, Aggregation.Softmax, Tau).item<float>(), 5);
    }

    [Fact]
    public void Aggregate_MeanMode_IgnoresMaskedEntries()
    {
        using var scope = NewDisposeScope();
        using var isa = new Isa(3);
        var mask = tensor(new[] { true, true, false });
        Assert.Equal(0.2, isa.Aggregate(tensor(S), null, Aggregation.Mean, Tau).item<float>(), 5);
        Assert.Equal(0.15, isa.Aggregate(tensor(S), mask, Aggregation.Mean, Tau).item<float>(), 5);
    }

    [Fact]
    public void Aggregate_MaskedEntry_EqualsIsaWithoutThatEntry()
    {
        using var scope = NewDisposeScope();
        using var three = new Isa(3);
        using var two = new Isa(2);
        // Masking the largest entry must give exactly the ISA of [0.1, 0.2], not a value pulled towards 0.3.
        var masked = three.Aggregate(tensor(S), tensor(new[] { true, true, false }), Aggregation.Isa, Tau).item<float>();
        var shorter = two.Aggregate(tensor(new[] { 0.1f, 0.2f }), null, Aggregation.Isa, Tau).item<float>();
        Assert.Equal(shorter, masked, 6);
    }
}
