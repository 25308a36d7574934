namespace UCoFIA.Training.Data;

/// <summary>
/// The seed of one step's batch generator. Deterministic across processes, unlike HashCode.Combine (randomised per
/// process), so a resumed run draws the batches of an uninterrupted one.
/// </summary>
public static class StepSeed
{
    public static Random For(int seed, int step) => new(unchecked(seed * 1_000_003 + step * 7_919 + 104_729));
}
