using UCoFIA.Service.Ingestion;

namespace UCoFIA.Service.Tests;

public sealed class SegmentPlanTests
{
    [Fact]
    public void For_VideoNoLongerThanTheWindow_IsOneSegmentOfFFramesOverItsWholeDuration()
    {
        var plan = SegmentPlan.For(durationSeconds: 16, frames: 8, windowSeconds: 16, strideSeconds: 12);

        Assert.Equal(8, plan.Samples);
        Assert.Equal([(0, 8)], plan.Windows);
    }

    [Fact]
    public void For_TwentyMinutes_SamplesEveryTwoSecondsAndStartsASegmentEverySixSamples()
    {
        var plan = SegmentPlan.For(durationSeconds: 1200, frames: 8, windowSeconds: 16, strideSeconds: 12);

        Assert.Equal(600, plan.Samples);
        Assert.Equal((0, 8), plan.Windows[0]);
        Assert.Equal((6, 8), plan.Windows[1]); // 12 s of stride is 6 samples of 2 s: two shared with the first segment
        Assert.All(plan.Windows, w => Assert.InRange(w.First + w.Count, 1, plan.Samples));
        Assert.Equal(plan.Samples, plan.Windows[^1].First + plan.Windows[^1].Count); // the last segment reaches the end
        Assert.Equal(100, plan.Windows.Count);
    }

    [Fact]
    public void For_StrideOffTheGrid_IsRoundedToWholeSamples()
    {
        var plan = SegmentPlan.For(durationSeconds: 40, frames: 4, windowSeconds: 16, strideSeconds: 10);

        // Samples every 4 s; a 10 s stride is 2.5 samples, rounded up to 3 (12 s).
        Assert.Equal(10, plan.Samples);
        Assert.Equal([(0, 4), (3, 4), (6, 4)], plan.Windows);
    }
}
