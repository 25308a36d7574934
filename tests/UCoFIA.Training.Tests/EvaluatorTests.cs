using UCoFIA.Model;
using UCoFIA.Training.Data;
using UCoFIA.Training.Evaluation;

namespace UCoFIA.Training.Tests;

public class EvaluatorTests
{
    [Fact]
    public void Ablations_TinyRandomModel_EveryRowRanksEveryQueryWithinTheGallery()
    {
        var corpus = SyntheticData.Generate(5, CorpusFromTraining.Options(train: 12, test: 6, hardGroups: 1));
        var folder = Directory.CreateTempSubdirectory("ucofia-eval").FullName;
        var (vocab, merges) = (Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"));
        BpeTrainer.Train(corpus.Train.SelectMany(i => i.Captions), 600, vocab, merges);
        using var model = UCoFIAModel.CreateRandom(UCoFIAConfig.Tiny(600), vocab, merges, seed: 1);

        var rows = new Evaluator(model).Ablations(corpus.Test, corpus.Train.Select(i => i.Captions[0]).ToArray(), corpus.Train);
        var hard = new Evaluator(model).Ablations(corpus.HardTest, corpus.Train.Select(i => i.Captions[0]).ToArray(), corpus.Train);

        Assert.Equal(11, rows.Count);
        Assert.Equal("All three + Sinkhorn–Knopp", rows[^1].Name);
        foreach (var row in rows)
        {
            foreach (var m in new[] { row.TextToVideo, row.VideoToText })
            {
                Assert.Equal(6, m.Queries);
                Assert.InRange(m.MeanRank, 1, 6);
            }
            Assert.Null(row.GroupTextToVideo);
        }
        Assert.All(hard, row => Assert.InRange(row.GroupTextToVideo!.MeanRank, 1, 4));
        Assert.Contains("unified − best single", ResultsTable.Markdown(hard), StringComparison.Ordinal);
    }
}
