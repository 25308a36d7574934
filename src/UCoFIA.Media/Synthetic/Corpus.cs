namespace UCoFIA.Media.Synthetic;

/// <summary>The split names written to captions.jsonl.</summary>
public static class CorpusSplit
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
    public const string HardTest = "hard-test";
}

/// <summary>One clip and its captions. <paramref name="Group"/> names the hard-test group, null elsewhere.</summary>
public sealed record CorpusItem(string Id, SceneSpec Scene, IReadOnlyList<string> Captions, string Split, string? Group = null);

public sealed record Corpus(
    IReadOnlyList<CorpusItem> Train,
    IReadOnlyList<CorpusItem> Validation,
    IReadOnlyList<CorpusItem> Test,
    IReadOnlyList<CorpusItem> HardTest)
{
    public IEnumerable<CorpusItem> All => Train.Concat(Validation).Concat(Test).Concat(HardTest);
}
