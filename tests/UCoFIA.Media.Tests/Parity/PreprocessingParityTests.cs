using Xunit.Abstractions;

namespace UCoFIA.Media.Tests.Parity;

/// <summary>
/// FrameSampler's pixels against CLIP's own _transform (PIL bicubic Resize + CenterCrop, then ToTensor +
/// Normalize) on the same synthetic frames. ffmpeg's bicubic is not PIL's, so resized bytes are compared by
/// PSNR; the normalisation is compared value by value.
/// </summary>
public class PreprocessingParityTests(ITestOutputHelper output)
{
    /// <summary>Measured 53.3–53.8 dB (docs/parity.md); a misplaced crop or a YUV-domain resize drops to ~33 dB.</summary>
    private const double MinimumPsnr = 50;

    private static readonly Lazy<System.Text.Json.JsonElement> pixels = new(() => ParityFixtures.Read("pixels.json"));

    public static TheoryData<string> Frames() =>
        new(pixels.Value.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("png").GetString()!));

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task SampleAsync_SyntheticFrame_MatchesClipTransformAbove50Db(string png)
    {
        var frame = pixels.Value.GetProperty("frames").EnumerateArray().Single(f => f.GetProperty("png").GetString() == png);
        var size = frame.GetProperty("size").GetInt32();
        var path = ParityFixtures.PathOf(png);
        var probe = await VideoProber.ProbeAsync(path, CancellationToken.None);

        var sampled = await FrameSampler.SampleAsync(path, probe, new FrameSamplingOptions(1, size, TimeSpan.FromSeconds(30)), CancellationToken.None);

        var reference = await File.ReadAllBytesAsync(ParityFixtures.PathOf(frame.GetProperty("reference_rgb").GetString()!));
        var psnr = Psnr(reference, TestVideos.Rgb(sampled, 0));
        output.WriteLine($"{png}: PSNR {psnr:0.00} dB");
        Assert.True(psnr >= MinimumPsnr, $"{png}: PSNR {psnr:0.00} dB < {MinimumPsnr} dB");
    }

    [Fact]
    public void Normalize_ClipTransformFixture_EqualsToTensorThenNormalize()
    {
        var normalize = pixels.Value.GetProperty("normalize");
        var rgb = normalize.GetProperty("rgb").EnumerateArray().Select(v => v.GetByte()).ToArray();
        var expected = normalize.GetProperty("chw").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var actual = new float[expected.Length];

        ClipPreprocessor.Normalize(rgb, actual);

        Assert.Equal(normalize.GetProperty("mean").EnumerateArray().Select(v => v.GetSingle()), ClipPreprocessor.Mean);
        Assert.Equal(normalize.GetProperty("std").EnumerateArray().Select(v => v.GetSingle()), ClipPreprocessor.Std);
        // One fused multiply-add against torchvision's divide, subtract, divide: float32 rounding only.
        var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= 1e-6, $"max |difference| {difference}");
    }

    private static double Psnr(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var squaredError = expected.Zip(actual, (e, a) => (double)(e - a) * (e - a)).Sum() / expected.Length;
        return 10 * Math.Log10(255.0 * 255.0 / squaredError);
    }
}
