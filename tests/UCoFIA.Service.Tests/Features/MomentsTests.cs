using UCoFIA.Service.Search;

namespace UCoFIA.Service.Tests.Features;

public sealed class MomentsTests
{
    private static readonly double[] Times = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5];

    [Fact]
    public void Find_PeakInTheMiddle_OneMomentSpanningTheHotFrames()
    {
        var moments = Moments.Find(Times, [0.1f, 0.1f, 0.1f, 0.9f, 0.8f, 0.1f, 0.1f, 0.1f]);
        var moment = Assert.Single(moments);
        Assert.Equal(3.0, moment.Start, 6); // halfway between frames 2 and 3
        Assert.Equal(5.0, moment.End, 6);   // halfway between frames 4 and 5
        Assert.Equal(0.9, moment.Score, 5);
        Assert.Equal(3, moment.Frame);
    }

    [Fact]
    public void Find_TwoSeparatePeaks_TwoMomentsBestFirst()
    {
        var moments = Moments.Find(Times, [0.8f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.95f, 0.9f]);
        Assert.Equal(2, moments.Count);
        Assert.Equal(6, moments[0].Frame);
        Assert.Equal((6.0, 8.0), (moments[0].Start, moments[0].End));
        Assert.Equal((0.0, 1.0), (moments[1].Start, moments[1].End));
    }

    [Fact]
    public void Find_OneColdFrameBetweenHotOnes_MergedIntoOneMoment()
    {
        var moment = Assert.Single(Moments.Find(Times, [0.1f, 0.9f, 0.3f, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f]));
        Assert.Equal((1.0, 4.0), (moment.Start, moment.End));
    }

    [Fact]
    public void Find_UniformEvidence_BestFrameAloneAndPaddingIgnored()
    {
        var moment = Assert.Single(Moments.Find([0.0, 1.0], [0.5f, 0.5f, 0f, 0f]));
        Assert.Equal(0, moment.Frame);
        Assert.Equal((0.0, 0.5), (moment.Start, moment.End));
    }
}
