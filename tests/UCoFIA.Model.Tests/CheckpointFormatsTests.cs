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
    public void Load_PytorchModelBin_EncodesAsTheSafetensorsFolder() => WithWeightlessCopy((source, pickled, tensors) =>
    {
        using (var file = File.Create(Path.Combine(pickled, Checkpoint.PickleFile)))
            PyTorchPickler.PickleStateDict(file, tensors);

        AssertSameModel(source, pickled);
    });

    [Fact]
    public void Load_ShardedSafetensors_EncodesAsTheSingleFile() => WithWeightlessCopy((source, sharded, tensors) =>
    {
        WriteShards(tensors, sharded);

        AssertSameModel(source, sharded);
    });

    [Fact]
    public void Load_ShardIndexNamingATensorNoShardHolds_ThrowsNamingIt() => WithWeightlessCopy((_, sharded, tensors) =>
    {
        var index = WriteShards(tensors, sharded);
        index["weight_map"]!["text_model.ghost.weight"] = "model-00001-of-00002.safetensors";
        File.WriteAllText(Path.Combine(sharded, ShardedSafetensors.IndexFile), index.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => UCoFIAModel.Load(sharded, "cpu", threads: 1));

        Assert.Contains("text_model.ghost.weight", error.Message);
    });

    /// <summary>Runs <paramref name="test"/> with a tiny model's folder, a second folder holding everything of it but
    /// the weights, and the model's tensors by name.</summary>
    private static void WithWeightlessCopy(Action<string, string, Dictionary<string, Tensor>> test)
    {
        using var source = new TempFolder();
        using var copy = new TempFolder();
        using (var model = TestData.TinyModel(source, seed: 3))
            model.Save(source.Path, fp16: false);
        foreach (var file in Directory.GetFiles(source.Path).Where(f => Path.GetFileName(f) != UCoFIAModel.WeightsFile))
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        test(source.Path, copy.Path, Checkpoint.Read(source.Path));
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
