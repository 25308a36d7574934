using UCoFIA.Model;
using static TorchSharp.torch;

namespace UCoFIA.Service.Ingestion;

/// <summary>The online Sinkhorn–Knopp steps on score arrays: fit the query-side scaling, then each gallery column's bias.</summary>
public static class SinkhornScores
{
    /// <summary>The granularities in the order of every [3] bias and scaling array.</summary>
    public static readonly Granularity[] Levels = [Granularity.Video, Granularity.Frame, Granularity.Patch];

    /// <param name="scores">Per level, [Q × G] row-major bank × gallery scores.</param>
    /// <returns>[3][Q] the fitted query-side log scaling per level.</returns>
    public static float[][] Fit(UCoFIAModel model, float[][] scores, int queries, int gallery)
    {
        using var scope = NewDisposeScope();
        return scores.Select(s => SinkhornKnopp.FitQueryScaling(tensor(s).reshape(queries, gallery), model.Config.Alignment.SinkhornIterations)
            .data<float>().ToArray()).ToArray();
    }

    /// <returns>[G][3] log bias of each gallery column given the query-side scaling.</returns>
    public static float[][] Biases(float[][] scaling, float[][] scores, int gallery)
    {
        using var scope = NewDisposeScope();
        var perLevel = Levels.Select((_, l) => SinkhornKnopp.IncrementalLogBias(tensor(scaling[l]),
            tensor(scores[l]).reshape(scaling[l].Length, gallery)).data<float>().ToArray()).ToArray();
        return Enumerable.Range(0, gallery).Select(v => perLevel.Select(level => level[v]).ToArray()).ToArray();
    }
}
