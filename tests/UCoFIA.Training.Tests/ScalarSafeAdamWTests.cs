using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace UCoFIA.Training.Tests;

public class ScalarSafeAdamWTests
{
    /// <summary>Two parameter groups (different rates), a few steps on a small regression: same weights as TorchSharp's AdamW.</summary>
    [Fact]
    public void Step_SmallProblemTwoGroups_MatchesTorchSharpAdamW()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var x = randn(16, 5, generator: generator);
        var y = randn(16, 3, generator: generator);
        var init = new[] { randn(3, 5, generator: generator), randn(3, generator: generator), randn(3, 3, generator: generator) };

        var ours = Train(init, x, y, (a, b) =>
        {
            var optimizer = new ScalarSafeAdamW([new([a[0], a[1]], 1e-2, 0.05), new([b[0]], 3e-3, 0.05)]);
            return (optimizer.ZeroGrad, optimizer.Step, optimizer.Dispose);
        });
        var reference = Train(init, x, y, (a, b) =>
        {
            var optimizer = optim.AdamW([new AdamW.ParamGroup(a, lr: 1e-2, weight_decay: 0.05), new AdamW.ParamGroup(b, lr: 3e-3, weight_decay: 0.05)],
                lr: 1e-2, weight_decay: 0.05);
            return (optimizer.zero_grad, () => optimizer.step(), optimizer.Dispose);
        });

        for (var i = 0; i < init.Length; i++)
        {
            var gap = (ours[i] - reference[i]).abs().max().item<float>();
            Assert.True(gap < 1e-5, $"parameter {i}: max difference {gap}");
            Assert.True((ours[i] - init[i]).abs().max().item<float>() > 1e-3, "the parameters moved");
        }
    }

    [Fact]
    public void SaveLoad_ResumedOptimizer_ContinuesLikeTheUninterruptedOne()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var x = randn(8, 4, generator: generator);
        var y = randn(8, 2, generator: generator);
        var w0 = randn(2, 4, generator: generator);
        var path = Path.Combine(Directory.CreateTempSubdirectory("adamw").FullName, "state.bin");

        var straight = w0.clone().requires_grad_();
        using (var optimizer = new ScalarSafeAdamW([new([straight], 1e-2, 0.01)]))
            for (var step = 0; step < 6; step++)
                Step(optimizer, straight, x, y);

        var resumed = w0.clone().requires_grad_();
        using (var optimizer = new ScalarSafeAdamW([new([resumed], 1e-2, 0.01)]))
        {
            for (var step = 0; step < 3; step++)
                Step(optimizer, resumed, x, y);
            optimizer.Save(path);
        }
        using (var optimizer = new ScalarSafeAdamW([new([resumed], 1e-2, 0.01)]))
        {
            optimizer.Load(path);
            for (var step = 0; step < 3; step++)
                Step(optimizer, resumed, x, y);
        }

        Assert.True((straight - resumed).abs().max().item<float>() < 1e-7);
    }

    private static void Step(ScalarSafeAdamW optimizer, Tensor w, Tensor x, Tensor y)
    {
        optimizer.ZeroGrad();
        var loss = (x.matmul(w.t()) - y).square().mean();
        loss.backward();
        optimizer.Step();
    }

    private static Tensor[] Train(Tensor[] init, Tensor x, Tensor y,
        Func<Parameter[], Parameter[], (Action ZeroGrad, Action Step, Action Dispose)> make)
    {
        var p = init.Select(t => new Parameter(t.clone())).ToArray();
        var (zeroGrad, step, dispose) = make([p[0], p[1]], [p[2]]);
        for (var i = 0; i < 5; i++)
        {
            zeroGrad();
            var hidden = nn.functional.linear(x, p[0], p[1]).tanh();
            var loss = (hidden.matmul(p[2]) - y).square().mean();
            loss.backward();
            step();
        }
        dispose();
        return p.Select(t => t.detach().clone()).ToArray();
    }
}
