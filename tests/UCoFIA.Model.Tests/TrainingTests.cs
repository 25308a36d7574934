using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class TrainingTests
{
    [Fact]
    public void Loss_FewAdamWSteps_DecreasesAndEveryParameterGetsAGradient()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder, seed: 9);
        string[] texts = ["hello", "hello hello", "a dog", "the cat!"];
        var frames = TestData.Frames(model.Config, 4, 4, seed: 9);
        var mask = TestData.AllFrames(4, 4);
        using var optimizer = optim.AdamW(model.Parameters(), lr: 2e-3);

        float first = 0, last = 0;
        for (var step = 0; step < 8; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            using var loss = model.Loss(texts, frames, mask);
            loss.Total.backward();
            if (step == 0)
            {
                var silent = model.NamedParameters()
                    .Where(p => p.Parameter.grad is null || p.Parameter.grad.abs().sum().item<float>() == 0)
                    .Select(p => p.Name).ToList();
                Assert.True(silent.Count == 0, "no gradient for: " + string.Join(", ", silent));
                first = loss.Total.item<float>();
                foreach (var part in new[] { loss.Video, loss.Frame, loss.Patch })
                    Assert.True(float.IsFinite(part.item<float>()));
            }
            last = loss.Total.item<float>();
            optimizer.step();
        }
        Assert.True(last < first, $"loss should fall: {first} → {last}");
    }
}
