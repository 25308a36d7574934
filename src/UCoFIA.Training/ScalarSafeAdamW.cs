using TorchSharp;
using static TorchSharp.torch;

namespace UCoFIA.Training;

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments; the update of <c>torch.optim.AdamW</c>) with every
/// <see cref="Scalar"/> it passes to native code held in a <c>using</c> across the call.
/// </summary>
/// <remarks>
/// Replaces TorchSharp's <c>optim.AdamW</c>, whose <c>step</c> makes temporary Scalars from numbers (and the hidden
/// alpha = 1 of <c>add</c>) that the GC may finalize while libtorch still reads them; that is what crashed the
/// default model's training with a corrupt-Scalar error after ~200 steps (see <see cref="UCoFIA.Model.ScalarOps"/>).
/// State: per parameter the first and second moment tensors and a step count, saved in a small binary file.
/// </remarks>
public sealed class ScalarSafeAdamW : IDisposable
{
    private const int FormatVersion = 1;

    public sealed class Group(IReadOnlyList<Tensor> parameters, double learningRate, double weightDecay)
    {
        public IReadOnlyList<Tensor> Parameters { get; } = parameters;

        public double LearningRate { get; set; } = learningRate;

        public double WeightDecay { get; set; } = weightDecay;
    }

    private sealed class State(Tensor expAvg, Tensor expAvgSq)
    {
        public Tensor ExpAvg { get; } = expAvg;
        public Tensor ExpAvgSq { get; } = expAvgSq;
        public long Step { get; set; }
    }

    private readonly State?[][] states;

    public ScalarSafeAdamW(IReadOnlyList<Group> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        Groups = groups;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        states = groups.Select(g => new State?[g.Parameters.Count]).ToArray();
    }

    public IReadOnlyList<Group> Groups { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    /// <summary>Zeroes every parameter's gradient (where it has one).</summary>
    public void ZeroGrad()
    {
        foreach (var group in Groups)
            foreach (var p in group.Parameters)
            {
                using var grad = p.grad;
                grad?.zero_();
            }
    }

    /// <summary>One AdamW update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var one = 1L.ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var eps = Eps.ToScalar();
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            using var decay = (1 - group.LearningRate * group.WeightDecay).ToScalar();
            for (var i = 0; i < group.Parameters.Count; i++)
            {
                var p = group.Parameters[i];
                using var grad = p.grad;
                if (grad is null)
                    continue;
                var state = states[g][i] ??= new State(zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope());
                state.Step++;
                var correction1 = 1 - Math.Pow(Beta1, state.Step);
                var correction2 = 1 - Math.Pow(Beta2, state.Step);
                using var stepSize = (-group.LearningRate / correction1).ToScalar();
                using var invSqrtCorrection2 = (1 / Math.Sqrt(correction2)).ToScalar();

                p.mul_(decay);
                state.ExpAvg.mul_(beta1).add_(grad, oneMinusBeta1);
                state.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
                using var denom = state.ExpAvgSq.sqrt();
                denom.mul_(invSqrtCorrection2).add_(eps, one);
                p.addcdiv_(state.ExpAvg, denom, stepSize);
            }
        }
    }

    /// <summary>Writes the moments and step counts (float32, parameter order of the groups).</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(FormatVersion);
        writer.Write(Groups.Count);
        for (var g = 0; g < Groups.Count; g++)
        {
            writer.Write(Groups[g].Parameters.Count);
            for (var i = 0; i < Groups[g].Parameters.Count; i++)
            {
                var state = states[g][i];
                writer.Write(state is not null);
                if (state is null)
                    continue;
                writer.Write(state.Step);
                writer.Write(state.ExpAvg.numel());
                foreach (var tensor in new[] { state.ExpAvg, state.ExpAvgSq })
                {
                    using var cpu = tensor.to(float32).cpu().contiguous();
                    foreach (var value in cpu.data<float>())
                        writer.Write(value);
                }
            }
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, for the same parameter groups.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt32() != FormatVersion)
            throw new InvalidDataException($"{path}: unknown optimizer state format");
        if (reader.ReadInt32() != Groups.Count)
            throw new InvalidDataException($"{path}: parameter groups differ");
        for (var g = 0; g < Groups.Count; g++)
        {
            if (reader.ReadInt32() != Groups[g].Parameters.Count)
                throw new InvalidDataException($"{path}: parameters of group {g} differ");
            for (var i = 0; i < Groups[g].Parameters.Count; i++)
            {
                if (!reader.ReadBoolean())
                    continue;
                var p = Groups[g].Parameters[i];
                var step = reader.ReadInt64();
                var count = reader.ReadInt64();
                if (count != p.numel())
                    throw new InvalidDataException($"{path}: size of parameter {i} of group {g} differs");
                var moments = new Tensor[2];
                for (var k = 0; k < 2; k++)
                {
                    var values = new float[count];
                    for (var j = 0; j < count; j++)
                        values[j] = reader.ReadSingle();
                    moments[k] = tensor(values, p.shape).to(p.dtype).DetachFromDisposeScope();
                }
                states[g][i]?.ExpAvg.Dispose();
                states[g][i]?.ExpAvgSq.Dispose();
                states[g][i] = new State(moments[0], moments[1]) { Step = step };
            }
        }
    }

    public void Dispose()
    {
        foreach (var row in states)
            foreach (var state in row)
            {
                state?.ExpAvg.Dispose();
                state?.ExpAvgSq.Dispose();
            }
    }
}
