using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class UCoFIAModelTests
{
    private static readonly string[] Texts = ["hello", "hello hello!", "a dog runs"];

    [Fact]
    public void EncodeText_ThreeTexts_GivesNormalisedFeaturesOfTheContractShapes()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(Texts);
        var (l, d) = (model.Config.Text.MaxPositions, model.Config.ProjectionDim);
        Assert.Equal([3L, d], text.Sentence.shape);
        Assert.Equal([3L, l, d], text.Words.shape);
        Assert.Equal([3L, l], text.WordMask.shape);
        Assert.Equal(ScalarType.Bool, text.WordMask.dtype);
        Assert.Equal([3, 5], text.TokenIds!.Take(2).Select(ids => ids.Length));
        TestData.AssertClose(ones(3), text.Sentence.norm(1), 1e-5);
        TestData.AssertClose(text.WordMask.to(ScalarType.Float32), text.Words.norm(2), 1e-5); // padding rows are zero
    }

    /// <summary>A short text is run on its own real positions only; next to a text that fills the context, the
    /// whole context is run. Under the causal mask both give the same features.</summary>
    [Fact]
    public void EncodeText_ShortTextAloneOrBesideAFullOne_GivesTheSameFeatures()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var full = string.Join(" ", Enumerable.Repeat("hello", model.Config.Text.MaxPositions));
        using var alone = model.EncodeText(["hello !"]);
        using var beside = model.EncodeText(["hello !", full]);
        TestData.AssertClose(beside.Sentence[..1], alone.Sentence, 1e-6);
        TestData.AssertClose(beside.Words[..1], alone.Words, 1e-6);
        Assert.True(beside.WordMask[1].all().item<bool>());
    }

    [Fact]
    public void EncodeVideo_TwoVideos_GivesFeaturesOfTheContractShapes()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var c = model.Config;
        using var video = model.EncodeVideo(TestData.Frames(c, 2, 4, seed: 1), TestData.AllFrames(2, 4));
        var (f, k, d) = (c.Alignment.NumFrames, c.Alignment.TopKPatches, c.ProjectionDim);
        Assert.Equal([2L, d], video.Video.shape);
        Assert.Equal([2L, f, d], video.Frames.shape);
        Assert.Equal([2L, f], video.FrameMask.shape);
        Assert.Equal([2L, f, k, d], video.Patches.shape);
        Assert.Equal([2L, f, k], video.PatchIndices!.shape);
        Assert.True(video.PatchIndices.diff(dim: -1).gt(0).all().item<bool>(), "patch indices must be in spatial order");
        TestData.AssertClose(ones(2), video.Video.norm(1), 1e-5);
    }

    [Fact]
    public void Score_AllGranularities_GivesEveryScoreOfTheContractShape()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        using var result = ScoreTextsAgainstTwoVideos(model);
        foreach (var score in new[] { result.Video, result.Frame, result.Patch, result.Unified(ScoreOptions.AllGranularities) })
            Assert.Equal([3L, 2L], score.shape);
        Assert.Equal([3L, 2L, 4L], result.FrameScores.shape);
        var expected = (result.Video + result.Frame + result.Patch) / 3;
        TestData.AssertClose(expected, result.Unified(ScoreOptions.AllGranularities));
    }

    [Fact]
    public void Unified_WithLogBias_AddsEachGranularitysBias()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        using var result = ScoreTextsAgainstTwoVideos(model);
        var bias = tensor(new float[] { 1, 2, 10, 20, 100, 200 }).view(3, 2); // rows: video, frame, patch
        var videoAndPatch = new HashSet<Granularity> { Granularity.Video, Granularity.Patch };
        var expected = (result.Video + result.Patch + tensor(new float[] { 101, 202 })) / 2;
        TestData.AssertClose(expected, result.Unified(videoAndPatch, bias), 1e-4);
    }

    [Fact]
    public void Score_OnlyVideoRequested_LeavesOtherScoresZeroAndRefusesToUnifyThem()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(Texts);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 2, 4, seed: 2), TestData.AllFrames(2, 4));
        var onlyVideo = new HashSet<Granularity> { Granularity.Video };
        using var result = model.Score(text, video, new ScoreOptions { Granularities = onlyVideo });
        Assert.Equal(0, result.Patch.abs().sum().item<float>());
        Assert.Equal(0, result.Frame.abs().sum().item<float>());
        Assert.Throws<ArgumentException>(() => result.Unified(ScoreOptions.AllGranularities));
    }

    [Fact]
    public void RecallQuery_LearnedVideoMaps_InnerProductIsTheVideoSentenceScore()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        using (no_grad())
        {
            // Trained maps are not the identity; with the identity the fold would be the sentence itself.
            parameters["ucofia.video_text_proj.weight"].add_(randn_like(parameters["ucofia.video_text_proj.weight"]) * 0.3);
            parameters["ucofia.video_proj.weight"].add_(randn_like(parameters["ucofia.video_proj.weight"]) * 0.3);
        }
        using var text = model.EncodeText(Texts);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 5, 4, seed: 4), TestData.AllFrames(5, 4));
        using var result = model.Score(text, video, new ScoreOptions { Granularities = new HashSet<Granularity> { Granularity.Video } });

        var query = model.RecallQuery(text); // [T, D]
        var scale = parameters["logit_scale"].exp().clamp_max(100);

        Assert.True(query.matmul(video.Video.t()).allclose(result.Video, rtol: 1e-4, atol: 1e-4));
        Assert.False((query / scale).allclose(text.Sentence, rtol: 1e-2, atol: 1e-2));
    }

    [Fact]
    public void Score_Batched_EqualsScoringEachPairAlone()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(Texts);
        var mask = tensor(new[] { true, true, true, true, true, true, false, false }).view(2, 4);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 2, 4, seed: 3), mask);
        using var all = model.Score(text, video);
        for (var t = 0; t < 3; t++)
        {
            for (var v = 0; v < 2; v++)
            {
                using var oneText = new TextFeatures(text.Sentence[t..(t + 1)], text.Words[t..(t + 1)], text.WordMask[t..(t + 1)]);
                using var oneVideo = new VideoFeatures(video.Video[v..(v + 1)], video.Stream[v..(v + 1)], video.FrameMask[v..(v + 1)]);
                using var pair = model.Score(oneText, oneVideo);
                foreach (var g in ScoreOptions.AllGranularities)
                    Assert.Equal(all[g][t, v].item<float>(), pair[g][0, 0].item<float>(), 4);
            }
        }
    }

    [Fact]
    public void EncodeVideo_PaddedFrameContentChanges_FeaturesStayTheSame()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var frames = TestData.Frames(model.Config, 1, 4, seed: 4);
        var mask = tensor(new[] { true, true, true, false }).view(1, 4);
        var noisy = frames.clone();
        noisy[0, 3] = randn_like(noisy[0, 3]) * 10;
        using var a = model.EncodeVideo(frames, mask);
        using var b = model.EncodeVideo(noisy, mask);
        using var shorter = model.EncodeVideo(frames[.., ..3], ones([1, 3], dtype: ScalarType.Bool)); // padded by the model
        foreach (var other in new[] { b, shorter })
        {
            TestData.AssertClose(a.Video, other.Video, 1e-6);
            TestData.AssertClose(a.Frames, other.Frames, 1e-6);
            TestData.AssertClose(a.Patches, other.Patches, 1e-6);
            TestData.AssertClose(a.FrameMask.to(ScalarType.Int32), other.FrameMask.to(ScalarType.Int32), 0);
        }
        Assert.Equal(0, a.Frames[0, 3].abs().sum().item<float>());
    }

    [Fact]
    public void EncodeVideo_MoreFramesThanConfigured_Throws()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => model.EncodeVideo(TestData.Frames(model.Config, 1, 5, 1), TestData.AllFrames(1, 5)));
    }

    [Fact]
    public void EncodeVideo_SelectPatchesOff_KeepsEveryPatchAndStillScores()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var options = new ScoreOptions { SelectPatches = false };
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 2, 4, 5), TestData.AllFrames(2, 4), options);
        Assert.Equal(model.Config.Vision.NumPatches, video.Patches.shape[2]);
        using var text = model.EncodeText(Texts);
        using var result = model.Score(text, video, options);
        Assert.False(result.Patch.isnan().any().item<bool>());
    }

    [Theory]
    [InlineData(false, 1e-6)]
    [InlineData(true, 2e-2)]
    public void Save_ThenLoad_ReproducesTheScores(bool fp16, double tolerance)
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        using var scope = NewDisposeScope();
        var frames = TestData.Frames(model.Config, 2, 4, 6);
        using var before = ScoreAll(model, frames);
        var saved = Path.Combine(folder.Path, "saved");
        model.Save(saved, fp16);
        using var loaded = UCoFIAModel.Load(saved, "cpu");
        Assert.False(loaded.ZeroShot);
        Assert.Equal(model.Config, loaded.Config);
        using var after = ScoreAll(loaded, frames);
        foreach (var g in ScoreOptions.AllGranularities)
            TestData.AssertClose(before[g], after[g], tolerance * Math.Max(1, before[g].abs().max().item<float>()));
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        var saved = SaveTiny(folder, tensors => tensors.Remove("text_model.final_layer_norm.weight"));
        var error = Assert.Throws<InvalidDataException>(() => UCoFIAModel.Load(saved, "cpu"));
        Assert.Contains("'text_model.final_layer_norm.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisShapedTensor_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        var saved = SaveTiny(folder, tensors => tensors["ucofia.frame_isa.weight"] = zeros(3, 3));
        var error = Assert.Throws<InvalidDataException>(() => UCoFIAModel.Load(saved, "cpu"));
        Assert.Contains("'ucofia.frame_isa.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlainClipCheckpoint_RunsZeroShotWithAuthorsHeadInit()
    {
        using var folder = new TempFolder();
        var saved = SaveTiny(folder, tensors =>
        {
            foreach (var key in tensors.Keys.Where(k => k.StartsWith("ucofia.", StringComparison.Ordinal)).ToList())
                tensors.Remove(key);
            tensors["text_model.embeddings.position_ids"] = arange(12).unsqueeze(0); // HF extra key: ignored
        });
        using var model = UCoFIAModel.Load(saved, "cpu");
        using var scope = NewDisposeScope();
        Assert.True(model.ZeroShot);
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        TestData.AssertClose(parameters["text_model.encoder.layers.0.mlp.fc1.weight"], parameters["ucofia.temporal.encoder.layers.0.mlp.fc1.weight"], 0);
        TestData.AssertClose(eye(4), parameters["ucofia.frame_isa.weight"], 0);

        var mask = tensor(new[] { true, true, true, false }).view(1, 4);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 1, 4, 7), mask);
        // Zero-shot video feature: the normalised mean of the real frames, no temporal blocks.
        var mean = video.Frames[0, ..3].mean([0]);
        TestData.AssertClose(mean / mean.norm(), video.Video[0], 1e-5);
        using var text = model.EncodeText(Texts);
        using var result = model.Score(text, video);
        Assert.False(result.Unified(ScoreOptions.AllGranularities).isnan().any().item<bool>());
    }

    [Fact]
    public void CreateRandom_CudaOnCpuBuild_ThrowsClearly()
    {
        if (cuda.is_available())
            return; // the GPU image takes the other branch
        using var folder = new TempFolder();
        var (vocab, merges) = TestData.WriteHandMadeVocab(folder.Path);
        var error = Assert.Throws<InvalidOperationException>(() => UCoFIAModel.CreateRandom(UCoFIAConfig.Tiny(), vocab, merges, 1, "cuda"));
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("tpu"));
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("auto").type);
    }

    private static ScoreResult ScoreAll(UCoFIAModel model, Tensor frames)
    {
        using var text = model.EncodeText(Texts);
        using var video = model.EncodeVideo(frames, TestData.AllFrames(2, 4));
        return model.Score(text, video);
    }

    /// <summary>Saves a tiny fp32 model, edits its tensors, writes them back; returns the folder.</summary>
    private static string SaveTiny(TempFolder folder, Action<Dictionary<string, Tensor>> edit)
    {
        using (var model = TestData.TinyModel(folder))
            model.Save(Path.Combine(folder.Path, "saved"), fp16: false);
        var weights = Path.Combine(folder.Path, "saved", UCoFIAModel.WeightsFile);
        var tensors = Safetensors.LoadStateDict(weights);
        edit(tensors);
        Safetensors.SaveStateDict(weights, tensors);
        return Path.Combine(folder.Path, "saved");
    }

    /// <summary>The three test texts against two random four-frame videos.</summary>
    private static ScoreResult ScoreTextsAgainstTwoVideos(UCoFIAModel model)
    {
        using var text = model.EncodeText(Texts);
        using var video = model.EncodeVideo(TestData.Frames(model.Config, 2, 4, seed: 2), TestData.AllFrames(2, 4));
        return model.Score(text, video);
    }
}
