using UCoFIA.Model;

/// <summary>
/// A checkpoint of openai/clip-vit-base-patch32's sizes (12-layer towers of widths 512 and 768, 224 px frames in
/// 32 px patches, D = 512, 77 text positions) with random weights and UCoFIA's heads (F = 12, K = 3), for timing the
/// real service at real size: `dotnet UCoFIA.Benchmarks.dll write-vit-b32 FOLDER`. Its scores mean nothing.
/// </summary>
public static class ViTB32Checkpoint
{
    public static void Write(string folder)
    {
        var config = new UCoFIAConfig
        {
            Text = new TextConfig { VocabSize = RandomModels.VocabSize },
            Alignment = new AlignmentConfig { NumFrames = 12, TopKPatches = 3 },
        };
        using var model = RandomModels.Create(config, seed: 3);
        model.Save(folder);
    }
}
