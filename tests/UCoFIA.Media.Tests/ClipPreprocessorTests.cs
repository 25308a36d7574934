namespace UCoFIA.Media.Tests;

public sealed class ClipPreprocessorTests
{
    [Fact]
    public void Normalize_TwoPixels_WritesChannelPlanesWithClipStatistics()
    {
        byte[] rgb24 = [255, 0, 128, 0, 255, 64];
        var chw = new float[6];

        ClipPreprocessor.Normalize(rgb24, chw);

        // Layout [3, 2]: red plane, green plane, blue plane.
        float Expected(byte value, int channel) => (value / 255f - ClipPreprocessor.Mean[channel]) / ClipPreprocessor.Std[channel];
        float[] expected = [Expected(255, 0), Expected(0, 0), Expected(0, 1), Expected(255, 1), Expected(128, 2), Expected(64, 2)];
        Assert.Equal(expected, chw, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Normalize_MismatchedLengths_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ClipPreprocessor.Normalize(new byte[6], new float[3]));
    }
}
