using UCoFIA.Service.Inference;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

public sealed class RerankerGroupingTests
{
    private static readonly EncodedText Query = new("q", [], [], [], []);

    [Fact]
    public void GroupBySharedCandidates_SameCandidates_ScoredTogether()
    {
        var ids = Ids(10);
        var groups = Reranker.GroupBySharedCandidates([Request(ids), Request(ids), Request(ids[..9])]);
        Assert.Equal([[0, 1, 2]], groups);
    }

    [Fact]
    public void GroupBySharedCandidates_DisjointCandidates_ScoredApart()
    {
        var groups = Reranker.GroupBySharedCandidates([Request(Ids(10)), Request(Ids(10)), Request(Ids(10))]);
        Assert.Equal([[0], [1], [2]], groups);
    }

    private static Guid[] Ids(int count) => Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();

    private static RerankRequest Request(IEnumerable<Guid> ids) =>
        new(Query, ids.Select(id => new GallerySegment(id, id, null, 0, 0, 0, 0, SkBias.None(), new VideoFeatureRows([], [], [], [], []))).ToList(), GranularitySet.All);
}
