
namespace UCoFIA.Training.Tests;

public class LearningRateScheduleTests
{
    [Fact]
    public void Factor_WarmupThenCosine_RisesPeaksAndDecaysToZero()
    {
        var schedule = new LearningRateSchedule(TotalSteps: 110, WarmupSteps: 10);
        Assert.Equal(0.1, schedule.Factor(0), 9);
        Assert.Equal(1.0, schedule.Factor(9), 9);
        Assert.Equal(1.0, schedule.Factor(10), 9);
        Assert.Equal(0.5, schedule.Factor(60), 9);
        Assert.Equal(0.0, schedule.Factor(110), 9);
    }
}
