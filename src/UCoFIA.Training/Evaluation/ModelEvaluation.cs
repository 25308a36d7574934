using UCoFIA.Media.Synthetic;
using UCoFIA.Model;
using UCoFIA.Training.Data;

namespace UCoFIA.Training.Evaluation;

/// <summary>
/// What <c>ucofia eval</c> measures: a trained model's ablation table on a split of the synthetic corpus it was
/// trained with. The Sinkhorn–Knopp banks come from that corpus's training split: the model folder's sk_bank.txt
/// captions when it has one (what the service uses), else the first caption of each training clip.
/// </summary>
public static class ModelEvaluation
{
    /// <param name="CorpusSeed">The seed the corpus was rebuilt from.</param>
    public sealed record Report(IReadOnlyList<AblationResult> Rows, int Clips, int CorpusSeed);

    /// <param name="allPatches">whether to score the costly "all patches" row (see <see cref="Evaluator.Ablations"/>)</param>
    /// <param name="clips">only the first this many clips of the split, whole groups on a split of groups; null: all of it</param>
    public static Report Run(UCoFIAModel model, string modelFolder, string split, int? seedOverride, int bankSize, IProgress<string>? progress,
        bool allPatches = true, int? clips = null)
    {
        var (corpus, seed) = CorpusFromTraining.Load(modelFolder, seedOverride);
        var items = SyntheticData.Split(corpus, split);
        if (clips is { } n)
        {
            items = FirstClips(items, n);
        }
        var bankPath = Path.Combine(modelFolder, ModelFolder.SkBankFile);
        var bankCaptions = File.Exists(bankPath)
            ? File.ReadAllLines(bankPath).Take(bankSize).ToArray()
            : corpus.Train.Select(i => i.Captions[0]).Take(bankSize).ToArray();
        var bankClips = corpus.Train.Take(bankSize).ToArray();
        return new Report(new Evaluator(model).Ablations(items, bankCaptions, bankClips, progress, allPatches), items.Count, seed);
    }

    /// <summary>The first <paramref name="n"/> clips, less a group cut in two: its queries would rank against part of their group.</summary>
    public static List<CorpusItem> FirstClips(IReadOnlyList<CorpusItem> items, int n)
    {
        var first = items.Take(n).ToList();
        return first.Count < items.Count && first[^1].Group is { } cut && items[first.Count].Group == cut
            ? first.Where(i => i.Group != cut).ToList()
            : first;
    }
}
