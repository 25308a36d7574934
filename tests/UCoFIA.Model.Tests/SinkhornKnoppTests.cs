using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class SinkhornKnoppTests
{
    /// <summary>[Q, V] logits whose column 2 is a hub: high for every query.</summary>
    private static Tensor Skewed(int q, int v, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var scores = randn([q, v], generator: generator);
        scores[.., 2] += 3;
        return scores;
    }

    [Fact]
    public void FitQueryScaling_SkewedInput_ColumnSumsEqualAndRowSumsConverge()
    {
        using var scope = NewDisposeScope();
        var scores = Skewed(6, 6, 1);
        var rows = SinkhornKnopp.FitQueryScaling(scores, iterations: 50); // [Q]
        var columns = SinkhornKnopp.IncrementalLogBias(rows, scores); // [V]
        var plan = (rows.unsqueeze(1) + scores + columns.unsqueeze(0)).exp(); // [Q, V] = diag(a)·K·diag(b)
        Assert.True(scores.sum(dim: 0).max().item<float>() > scores.sum(dim: 0).min().item<float>() + 10, "input must be skewed");
        TestData.AssertClose(ones(6), plan.sum(dim: 0), 1e-5); // exact after the last column update
        TestData.AssertClose(ones(6), plan.sum(dim: 1), 1e-3); // rows converge as iterations go on
    }

    [Fact]
    public void BatchLogBias_SkewedInput_PenalisesTheHubColumn()
    {
        using var scope = NewDisposeScope();
        var bias = SinkhornKnopp.BatchLogBias(Skewed(8, 5, 2));
        Assert.Equal([5L], bias.shape);
        Assert.Equal(2L, bias.argmin().item<long>());
        Assert.Equal(1.0, bias.exp().sum().item<float>(), 5); // log-softmax normalised over the gallery
    }

    [Fact]
    public void IncrementalLogBias_FixedScaling_EqualsBatchBiasUpToOneSharedConstant()
    {
        using var scope = NewDisposeScope();
        var bank = Skewed(7, 6, 3);
        var batch = SinkhornKnopp.BatchLogBias(bank, 4);
        var scaling = SinkhornKnopp.FitQueryScaling(bank, 4);
        // Columns arrive one at a time, as videos are ingested, against the bank's fixed scaling.
        var incremental = cat(Enumerable.Range(0, 6).Select(v => SinkhornKnopp.IncrementalLogBias(scaling, bank[.., v..(v + 1)])).ToList(), 0);
        var shift = incremental - batch; // [V]
        TestData.AssertClose(full(6, shift[0].item<float>()), shift, 1e-4);
        Assert.Equal(batch.argsort().data<long>().ToArray(), incremental.argsort().data<long>().ToArray());
    }

    [Fact]
    public void BatchLogBias_PlantedHubVideo_RestoresTheCorrectRanking()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        const int n = 8;
        var scores = 5 * eye(n) + 0.5 * randn([n, n], generator: generator); // query i matches video i
        scores[.., 3] += 6; // video 3 outscores every true match
        var plain = scores.argmax(1); // [Q]
        Assert.True(plain.eq(3).all().item<bool>(), "the planted hub should win every query before unification");

        var bias = SinkhornKnopp.BatchLogBias(scores); // bank = the queries themselves
        var fixedRanking = (scores + bias.unsqueeze(0)).argmax(1);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), fixedRanking.data<long>().ToArray());
    }

    [Fact]
    public void BatchLogBias_NotAMatrix_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SinkhornKnopp.BatchLogBias(ones(3)));
    }
}
