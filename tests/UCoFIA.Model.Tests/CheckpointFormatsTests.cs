using System.Text.Json.Nodes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

/// <summary>
/// The other weight layouts a Hugging Face folder can hold: <c>pytorch_model.bin</c> (a torch.save pickle; the
/// authors' fixture, written by torch itself, proves the reader on a real one) and sharded safetensors
/// (<c>model.safetensors.index.json</c>). Each must load to exactly the model of the single safetensors file.
/// </summary>
public sealed class CheckpointFormatsTests
{
    private static readonly string[] Texts = ["hello", "hello hello !"];

    [Fact]
    public void Load_PytorchModelBin_EncodesAsTheSafetensorsFolder()
    {
        using var source = new TempFolder();
        using var pickled = new TempFolder();
        SaveTinyModel(source);
        CopyAllButWeights(source.Path, pickled.Path);
        var tensors = Checkpoint.Read(source.Path);
        using (var file = File.Create(Path.Combine(pickled.Path, Checkpoint.PickleFile)))
            PyTorchPickler.PickleStateDict(file, tensors);

        AssertSameModel(source.Path, pickled.Path);
    }

    [Fact]
    public void Load_ShardedSafetensors_EncodesAsTheSingleFile()
    {
        using var source = new TempFolder();
        using var sharded = new TempFolder();
        SaveTinyModel(source);
        CopyAllButWeights(source.Path, sharded.Path);
        WriteShards(Checkpoint.Read(source.Path), sharded.Path);

        AssertSameModel(source.Path, sharded.Path);
    }

    [Fact]
    public void Load_ShardIndexNamingATensorNoShardHolds_ThrowsNamingIt()
    {
        using var source = new TempFolder();
        using var sharded = new TempFolder();
        SaveTinyModel(source);
        CopyAllButWeights(source.Path, sharded.Path);
        var index = WriteShards(Checkpoint.Read(source.Path), sharded.Path);
        index["weight_map"]!["text_model.ghost.weight"] = "model-00001-of-00002.safetensors";
        File.WriteAllText(Path.Combine(sharded.Path, ShardedSafetensors.IndexFile), index.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => UCoFIAModel.Load(sharded.Path, "cpu", threads: 1));

        Assert.Contains("text_model.ghost.weight", error.Message);
    }

    private static void SaveTinyModel(TempFolder folder)
    {
        using var model = TestData.TinyModel(folder, seed: 3);
        model.Save(folder.Path, fp16: false);
    }

    private static void CopyAllButWeights(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) != UCoFIAModel.WeightsFile))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>Two shards split at the text/vision boundary, and the index HF's save_pretrained writes.</summary>
    private static JsonObject WriteShards(Dictionary<string, Tensor> tensors, string folder)
    {
        string ShardOf(string name) => name.StartsWith("text_", StringComparison.Ordinal)
            ? "model-00001-of-00002.safetensors"
            : "model-00002-of-00002.safetensors";
        foreach (var shard in tensors.Keys.GroupBy(ShardOf))
            Safetensors.SaveStateDict(Path.Combine(folder, shard.Key), shard.ToDictionary(name => name, name => tensors[name]));
        var map = new JsonObject();
        foreach (var name in tensors.Keys.Order(StringComparer.Ordinal))
            map[name] = ShardOf(name);
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map };
        File.WriteAllText(Path.Combine(folder, ShardedSafetensors.IndexFile), index.ToJsonString());
        return index;
    }

    private static void AssertSameModel(string expectedFolder, string actualFolder)
    {
        using var scope = NewDisposeScope();
        using var expected = UCoFIAModel.Load(expectedFolder, "cpu", threads: 1);
        using var actual = UCoFIAModel.Load(actualFolder, "cpu", threads: 1);
        Assert.False(actual.ZeroShot);
        var frames = TestData.Frames(expected.Config, videos: 2, frames: expected.Config.Alignment.NumFrames, seed: 5);
        var mask = TestData.AllFrames(2, expected.Config.Alignment.NumFrames);
        using var expectedScore = expected.Score(expected.EncodeText(Texts), expected.EncodeVideo(frames, mask));
        using var actualScore = actual.Score(actual.EncodeText(Texts), actual.EncodeVideo(frames, mask));
        TestData.AssertClose(expectedScore.Unified(ScoreOptions.AllGranularities), actualScore.Unified(ScoreOptions.AllGranularities), 0);
    }
}
