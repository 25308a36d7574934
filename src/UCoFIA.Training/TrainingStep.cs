namespace UCoFIA.Training;

/// <summary>One finished training step, as <see cref="Trainer"/> reports it.</summary>
/// <param name="Step">1-based step number, resumed steps included.</param>
/// <param name="TotalSteps">The planned number of steps.</param>
/// <param name="LearningRate">The new modules' rate at this step (after warm-up and decay).</param>
/// <param name="ClipsPerSecond">Throughput of this run so far (resumed steps not counted).</param>
/// <param name="ElapsedSeconds">Wall time of this run so far.</param>
public sealed record TrainingStep(int Step, int TotalSteps, double Loss, double LearningRate, double ClipsPerSecond, double ElapsedSeconds);
