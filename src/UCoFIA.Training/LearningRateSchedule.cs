namespace UCoFIA.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay to zero at the last step (the authors' schedule).</summary>
public sealed record LearningRateSchedule(int TotalSteps, int WarmupSteps)
{
    /// <summary>The multiplier on the peak learning rate at 0-based <paramref name="step"/>, in [0, 1].</summary>
    public double Factor(int step)
    {
        if (step < WarmupSteps)
            return (step + 1.0) / WarmupSteps;
        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((step - WarmupSteps) / (double)span, 0, 1);
        return 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
