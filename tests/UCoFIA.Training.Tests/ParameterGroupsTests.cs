using UCoFIA.Model;

namespace UCoFIA.Training.Tests;

public class ParameterGroupsTests
{
    [Fact]
    public void For_FromScratch_DecaysMatricesOnlyAndTrainsEverythingAtTheOneRate()
    {
        using var model = TinyModel();
        var options = new TrainOptions { Output = "unused", LearningRate = 3e-4, WeightDecay = 0.2 };

        var groups = ParameterGroups.For(model, options);

        var dims = model.NamedParameters().ToDictionary(p => p.Parameter.Handle, p => (p.Name, Dims: p.Parameter.dim()));
        Assert.All(groups, g => Assert.Equal(3e-4, g.LearningRate));
        Assert.All(groups.Where(g => g.WeightDecay == 0).SelectMany(g => g.Parameters), p => Assert.True(dims[p.Handle].Dims < 2, dims[p.Handle].Name));
        Assert.All(groups.Where(g => g.WeightDecay > 0).SelectMany(g => g.Parameters), p => Assert.True(dims[p.Handle].Dims >= 2, dims[p.Handle].Name));
        var undecayed = groups.Where(g => g.WeightDecay == 0).SelectMany(g => g.Parameters).Select(p => dims[p.Handle].Name).ToArray();
        Assert.Contains("logit_scale", undecayed);
        Assert.Contains(undecayed, name => name.Contains("layer_norm", StringComparison.Ordinal));
        Assert.Equal(dims.Count, groups.Sum(g => g.Parameters.Count));
    }

    [Fact]
    public void For_FromClip_GivesTheTowersTheirOwnRateAndTheHeadsTheNewModulesRate()
    {
        using var model = TinyModel();
        var options = new TrainOptions { Output = "unused", InitFrom = "clip", LearningRate = 1e-4, ClipLearningRate = 1e-7 };

        var groups = ParameterGroups.For(model, options);

        var names = model.NamedParameters().ToDictionary(p => p.Parameter.Handle, p => p.Name);
        foreach (var group in groups)
        {
            var heads = group.Parameters.Select(p => names[p.Handle].StartsWith("ucofia.", StringComparison.Ordinal)).Distinct().Single();
            Assert.Equal(heads ? 1e-4 : 1e-7, group.LearningRate);
        }
        Assert.Equal(4, groups.Length);
    }

    private static UCoFIAModel TinyModel()
    {
        var folder = Directory.CreateTempSubdirectory("ucofia-groups").FullName;
        var (vocab, merges) = (Path.Combine(folder, UCoFIAModel.VocabFile), Path.Combine(folder, UCoFIAModel.MergesFile));
        BpeTrainer.Train(["a red circle moves left", "a blue square grows"], 600, vocab, merges);
        return UCoFIAModel.CreateRandom(UCoFIAConfig.Tiny(600), vocab, merges, seed: 1, "cpu");
    }
}
