using UCoFIA.Training.Evaluation;

namespace UCoFIA.Training.Tests;

public class RetrievalMetricsTests
{
    [Fact]
    public void FromDiagonal_IdentityMatrix_PerfectRecallAndRankOne()
    {
        float[] scores = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        var m = RetrievalMetrics.FromDiagonal(scores, 3);
        Assert.Equal((100.0, 100.0, 1.0, 1.0), (m.R1, m.R10, m.MedianRank, m.MeanRank));
    }

    [Fact]
    public void FromDiagonal_HandMadeMatrix_KnownRanks()
    {
        // Ranks of the diagonal: row 0 → 1, row 1 → 3 (0.9 and 0.8 ahead), row 2 → 2 (0.7 ahead), row 3 → 4.
        float[] scores =
        [
            0.9f, 0.1f, 0.2f, 0.3f,
            0.9f, 0.5f, 0.8f, 0.1f,
            0.1f, 0.7f, 0.6f, 0.2f,
            0.5f, 0.6f, 0.7f, 0.4f,
        ];
        var m = RetrievalMetrics.FromDiagonal(scores, 4);
        Assert.Equal(25.0, m.R1);
        Assert.Equal(100.0, m.R5);
        Assert.Equal(2.5, m.MedianRank); // ranks 1, 2, 3, 4
        Assert.Equal(2.5, m.MeanRank);
    }

    [Fact]
    public void FromRanks_ElevenQueries_RecallAtFiveAndTenAndOddMedian()
    {
        var m = RetrievalMetrics.FromRanks([1, 1, 2, 5, 6, 10, 11, 20, 3, 4, 100]);
        Assert.Equal(100.0 * 2 / 11, m.R1, 6);
        Assert.Equal(100.0 * 6 / 11, m.R5, 6);
        Assert.Equal(100.0 * 8 / 11, m.R10, 6);
        Assert.Equal(5.0, m.MedianRank);
        Assert.Equal(163.0 / 11, m.MeanRank, 6);
    }

    [Fact]
    public void FromDiagonal_ConstantScores_TiesCountAgainstTheQuery()
    {
        var m = RetrievalMetrics.FromDiagonal(new float[16], 4);
        Assert.Equal(0.0, m.R1);
        Assert.Equal(4.0, m.MeanRank);
    }

    [Fact]
    public void Compute_SeveralCorrectItems_BestOneCounts()
    {
        // One query, gallery of 4; items 2 and 3 are both correct; 3 scores second best and item 2 is not "ahead" of it.
        float[] scores = [0.9f, 0.1f, 0.5f, 0.8f];
        var m = RetrievalMetrics.Compute(scores, 1, 4, [[2, 3]]);
        Assert.Equal(2.0, m.MeanRank);
    }

    [Fact]
    public void Transpose_RectangularMatrix_SwapsRowsAndColumns()
    {
        float[] scores = [1, 2, 3, 4, 5, 6]; // [2, 3]
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, RetrievalMetrics.Transpose(scores, 2, 3));
    }

    [Fact]
    public void WithinGroups_BetterItemOutsideTheGroup_RanksOnlyAgainstTheGroup()
    {
        // Query 0 scores gallery 2 (another group) above its match, and gallery 1 (its group) below.
        float[] scores = [0.5f, 0.1f, 0.9f, 0.0f, /**/ 0.0f, 0.5f, 0.0f, 0.9f, /**/ 0.0f, 0.0f, 0.5f, 0.1f, /**/ 0.0f, 0.0f, 0.9f, 0.5f];

        var m = RetrievalMetrics.WithinGroups(scores, 4, ["a", "a", "b", "b"]);

        Assert.Equal([1, 1, 1, 2], m.Ranks);
        Assert.Equal(75, m.R1);
        Assert.Equal([2, 2, 1, 2], RetrievalMetrics.FromDiagonal(scores, 4).Ranks);
    }
}
