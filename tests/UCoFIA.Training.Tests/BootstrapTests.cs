using UCoFIA.Training.Evaluation;

namespace UCoFIA.Training.Tests;

public class BootstrapTests
{
    [Fact]
    public void R1_HalfOfFourHundredQueriesHit_IntervalIsAboutFivePointsEitherSide()
    {
        var ranks = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? 1 : 3).ToArray();

        var interval = Bootstrap.R1(ranks);

        // Binomial standard error sqrt(0.25 / 400) = 2.5 points, so the 95 % interval is about 50 ± 4.9.
        Assert.InRange(interval.Low, 44, 47);
        Assert.InRange(interval.High, 53, 56);
    }

    [Fact]
    public void R1Difference_PairedQueriesOneVariantHitsTenMore_IntervalExcludesZero()
    {
        var a = Enumerable.Range(0, 200).Select(i => i < 110 ? 1 : 2).ToArray();
        var b = Enumerable.Range(0, 200).Select(i => i < 100 ? 1 : 2).ToArray();

        var interval = Bootstrap.R1Difference(a, b);

        Assert.True(interval.ExcludesZero, $"[{interval.Low}, {interval.High}]");
        Assert.InRange(interval.Low, 1, 5);
        Assert.InRange(interval.High, 5, 9);
    }

    [Fact]
    public void R1Difference_SameRanks_IntervalIsZero()
    {
        var ranks = Enumerable.Range(0, 50).Select(i => i % 3 + 1).ToArray();

        var interval = Bootstrap.R1Difference(ranks, ranks);

        Assert.Equal(new Interval(0, 0), interval);
    }
}
